using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Features.Leads;
using Switchboard.Platform.Database;
using Switchboard.Platform.Tenancy;
using Switchboard.Testing;

namespace Switchboard.Tests.Platform;

/// <summary>
/// The read scope of <see cref="StandbyReads"/> (ADR 0070) on the suite's lone server, which every test host names as
/// its standby: a second scope, entered as the request's tenant and user, that reads under their row-level security and
/// refuses to write. Reads on a real standby are in Failover/StandbyReadsTests.
/// </summary>
public sealed class StandbyReadScopeTests(SwitchboardHostWithTenant host) : IClassFixture<SwitchboardHostWithTenant>
{
    [Fact]
    public async Task The_read_scope_is_a_second_scope_that_reads_as_the_same_tenant_and_refuses_to_write()
    {
        var other = await host.CreateTenantAsync("standby-scope");
        var mine = await CreateLeadAsync(await host.As("admin"), "Mine");
        var theirs = await CreateLeadAsync(await host.LoginAsync(other.Email("admin")), "Theirs");

        await using var request = host.Services.CreateAsyncScope();
        await request.ServiceProvider.GetRequiredService<TenantContext>().EnterAsync(host.Tenant.Users["admin"], isSuperadmin: false,
            new TenantSettings(host.Tenant.Id, "Test", "test", IsActive: true, "UTC", "USD", "yyyy-MM-dd", "US"), TenantRole.Admin);
        var reads = request.ServiceProvider.GetRequiredService<StandbyReads>();

        var db = await reads.ContextAsync(CancellationToken.None);
        db.ShouldNotBeSameAs(request.ServiceProvider.GetRequiredService<SwitchboardDbContext>());
        // The lone server is not in recovery: prefer-standby would have found no standby, and the node says so.
        reads.ServedBy.ShouldBe("primary");
        var seen = await db.Leads.IgnoreQueryFilters().AsNoTracking().Select(l => l.Id).ToListAsync();
        seen.ShouldContain(mine);
        seen.ShouldNotContain(theirs, "row-level security applies in the read scope as in the request");
        (await reads.ContextAsync(CancellationToken.None)).ShouldBeSameAs(db, "one read scope per request");

        var lead = await db.Leads.SingleAsync(l => l.Id == mine);
        lead.LastName = "Changed on a standby";
        (await Should.ThrowAsync<InvalidOperationException>(() => db.SaveChangesAsync())).Message.ShouldContain("never writes");
    }

    private static async Task<Guid> CreateLeadAsync(HttpClient client, string lastName)
    {
        var response = await client.PostAsJsonAsync("/api/v1/leads", new { firstName = "Scope", lastName });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<LeadDto>())!.Id;
    }
}
