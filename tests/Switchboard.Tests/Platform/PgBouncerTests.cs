using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Switchboard.Platform.Database;
using Switchboard.Testing;
using Switchboard.Tests.Features.Imports;

namespace Switchboard.Tests.Platform;

/// <summary>
/// The app behind Debian's PgBouncer in transaction pooling with one server connection (ADR 0062): every client's
/// transactions take turns on the same PostgreSQL session, so a setting left on the session would reach the next
/// tenant. The listeners and an import's work table use the session connection, straight to PostgreSQL.
/// </summary>
public sealed class PgBouncerHost : SwitchboardHost
{
    public TestPgBouncer Bouncer { get; private set; } = null!;

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        [DatabaseConnections.RuntimeKey] = Bouncer.Through(Database.RuntimeConnectionString),
        [DatabaseConnections.SessionKey] = Database.RuntimeConnectionString,
        ["Database:PreparedStatements"] = "false",
        ["Jobs:PollSeconds"] = "0.2",
    };

    public override async Task InitializeAsync()
    {
        Bouncer = await TestPgBouncer.StartAsync(await TestCluster.GetAsync(), poolSize: 1);
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Bouncer.DisposeAsync();
    }
}

public sealed class PgBouncerTests(PgBouncerHost host) : IClassFixture<PgBouncerHost>
{
    private const int RoundsPerUser = 12;

    [Fact]
    public async Task Interleaved_requests_of_two_tenants_and_six_users_on_one_pooled_server_connection_see_and_stamp_only_their_own()
    {
        // A probe on leads records what each insert's transaction carried, and on which server session it ran.
        await using (var owner = new NpgsqlConnection(host.Database.OwnerConnectionString))
        {
            await owner.OpenAsync();
            await using var probe = new NpgsqlCommand($"""
                create table probe_stamps (lead_id uuid primary key, tenant_id uuid, setting_tenant text, setting_user text, backend int);
                grant insert on probe_stamps to {EmbeddedPostgres.RuntimeGroupRole};
                create function probe_stamp() returns trigger language plpgsql as $$
                begin
                  insert into probe_stamps values (new.id, new.tenant_id, current_setting('app.tenant_id', true),
                    current_setting('app.user_id', true), pg_backend_pid());
                  return new;
                end $$;
                create trigger probe_stamp after insert on leads for each row execute function probe_stamp();
                """, owner);
            await probe.ExecuteNonQueryAsync();
        }
        var a = await host.CreateTenantAsync("bouncer-a");
        var b = await host.CreateTenantAsync("bouncer-b");
        var people = new List<(TestTenant Tenant, string Role, HttpClient Client)>();
        foreach (var tenant in new[] { a, b })
        foreach (var role in new[] { "admin", "manager", "agent" })
            people.Add((tenant, role, await host.LoginAsync(tenant.Email(role))));

        var created = new ConcurrentDictionary<Guid, (Guid Tenant, Guid User)>();
        var seen = new ConcurrentBag<(Guid Tenant, Guid Lead)>();
        var intruderRows = 0L;
        using var stop = new CancellationTokenSource();
        // A client of the same pool that sets nothing: between the others' transactions it must never see a row.
        var intruder = Task.Run(async () =>
        {
            await using var connection = new NpgsqlConnection(host.Bouncer.Through(host.Database.RuntimeConnectionString));
            await connection.OpenAsync();
            while (!stop.IsCancellationRequested)
            {
                await using var count = new NpgsqlCommand("select (select count(*) from leads) + (select count(*) from tenant_memberships)", connection);
                Interlocked.Add(ref intruderRows, (long)(await count.ExecuteScalarAsync())!);
            }
        });
        await Task.WhenAll(people.Select(person => Task.Run(async () =>
        {
            for (var round = 0; round < RoundsPerUser; round++)
            {
                var response = await person.Client.PostAsJsonAsync("/api/v1/leads", new { lastName = $"{person.Role} {round}", company = person.Tenant.Slug });
                response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
                var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
                created[id] = (person.Tenant.Id, person.Tenant.Users[person.Role]);
                var page = await person.Client.GetFromJsonAsync<JsonElement>("/api/v1/leads?pageSize=100");
                foreach (var lead in page.GetProperty("items").EnumerateArray()) seen.Add((person.Tenant.Id, lead.GetProperty("id").GetGuid()));
                (await person.Client.GetAsync("/api/v1/auth/me")).EnsureSuccessStatusCode();
            }
        })));
        await stop.CancelAsync();
        await intruder;

        created.Count.ShouldBe(people.Count * RoundsPerUser);
        seen.Where(s => !created.TryGetValue(s.Lead, out var owner) || owner.Tenant != s.Tenant)
            .ShouldBeEmpty("a list showed a lead of another tenant");
        intruderRows.ShouldBe(0, "a client that set nothing saw rows left behind by another client's transaction");

        await using var check = new NpgsqlConnection(host.Database.OwnerConnectionString);
        await check.OpenAsync();
        await using var read = new NpgsqlCommand("select lead_id, tenant_id, setting_tenant, setting_user, backend from probe_stamps", check);
        await using var reader = await read.ExecuteReaderAsync();
        var stamps = new List<(Guid Lead, Guid Tenant, string SettingTenant, string SettingUser, int Backend)>();
        while (await reader.ReadAsync())
            stamps.Add((reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4)));
        stamps.Count.ShouldBe(created.Count);
        stamps.Where(s => s.SettingTenant != created[s.Lead].Tenant.ToString()).ShouldBeEmpty("an insert ran with another tenant's setting");
        stamps.Where(s => s.SettingUser != created[s.Lead].User.ToString()).ShouldBeEmpty("an insert ran with another user's app.user_id");
        stamps.Select(s => s.Backend).Distinct().Count().ShouldBe(1, "the inserts did not all take turns on one server connection");
    }

    [Fact]
    public async Task An_import_and_global_search_work_behind_the_transaction_pooling_bouncer()
    {
        var tenant = await host.CreateTenantAsync("bouncer-import");
        using var manager = await host.LoginAsync(tenant.Email("manager"));
        var import = await ImportClient.RunAsync(manager, ImportClient.Utf8("First Name,Last Name,Phone\nQuilla,Marchbanks,+12125550181\nOrrin,Vantwest,+12125550182\n"), "leads");
        import.GetProperty("status").GetString().ShouldBe("completed", import.ToString());
        import.Count("created").ShouldBe(2);

        for (var i = 0; i < 3; i++)
        {
            var results = await manager.GetFromJsonAsync<JsonElement>("/api/v1/search?q=Marchbanks");
            results.GetProperty("leads").GetArrayLength().ShouldBe(1);
        }
    }
}
