using System.Text.RegularExpressions;
using Switchboard.Platform.Audit;
using Switchboard.Platform.Cli;
using Switchboard.Tests.Platform;

namespace Switchboard.Tests.Features.Audit;

/// <summary>
/// Every audit action comes from the one catalogue (<see cref="AuditActions"/>): after the fullest flow the suite drives
/// through the product (<see cref="TwoTenantsHost"/>: calls, imports, bulk actions, sign-ins, tenant administration),
/// each action in the database is one the catalogue names, and every chain it wrote verifies.
/// </summary>
public sealed partial class AuditCatalogueTests(TwoTenantsHost host) : IClassFixture<TwoTenantsHost>
{
    [Fact]
    public async Task Every_action_the_product_wrote_is_in_the_catalogue()
    {
        var written = new List<string>();
        await using (var conn = new Npgsql.NpgsqlConnection(host.Database.SuperuserConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new Npgsql.NpgsqlCommand("select distinct action from audit_log order by 1", conn);
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync()) written.Add(reader.GetString(0));
        }

        written.ShouldBeSubsetOf(AuditActions.All.Select(a => a.Name));
        // Not vacuous: record changes, sign-ins, imports and platform events are among them.
        written.ShouldContain(AuditActions.Created.Name);
        written.ShouldContain(AuditActions.UserSignedIn.Name);
        written.ShouldContain(AuditActions.ImportCompleted.Name);
        written.ShouldContain(AuditActions.TenantCreated.Name);
    }

    [Fact]
    public async Task Every_chain_the_product_wrote_verifies()
    {
        var output = new StringWriter();

        var exit = await AuditVerification.RunAsync(host.Services, null, output, CancellationToken.None);

        exit.ShouldBe(0, output.ToString());
        output.ToString().ShouldContain($"tenant {host.A.Slug}: ");
        output.ToString().ShouldContain($"tenant {host.B.Slug}: ");
    }

    [Fact]
    public void Catalogue_names_are_unique_and_written_entity_dot_verb()
    {
        AuditActions.All.Select(a => a.Name).ShouldBeUnique();
        AuditActions.All.Where(a => !Name().IsMatch(a.Name)).ShouldBeEmpty();
        AuditActions.All.Where(a => a.Label.Length == 0).ShouldBeEmpty();
        AuditActions.All.ShouldContain(AuditActions.AuditPurged);
    }

    /// <summary>A bare verb (record changes) or entity.verb, lowercase words joined by hyphens.</summary>
    [GeneratedRegex("^([a-z]+(-[a-z]+)*\\.)?[a-z]+(-[a-z]+)*$")]
    private static partial Regex Name();
}
