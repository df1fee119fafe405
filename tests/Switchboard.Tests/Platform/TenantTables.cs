using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Switchboard.Features.Calls;
using Switchboard.Platform.Tenancy;
using Switchboard.Testing;
using Switchboard.Tests.Features.Calls;

namespace Switchboard.Tests.Platform;

/// <summary>A table in schema public with a tenant_id column, as the catalog describes it.</summary>
public sealed record TenantTable(string Name, bool RowSecurity, bool ForceRowSecurity, bool TenantIdNullable, IReadOnlyList<string> InsertableColumns)
{
    public string QuotedName => $"\"{Name}\"";
    public string ColumnList => string.Join(", ", InsertableColumns.Select(c => $"\"{c}\""));
}

public static class TenantTables
{
    /// <summary>
    /// Tables that carry a tenant id but belong to no single tenant, so have no row-level security. Each is a
    /// deliberate decision; a new one needs a reason here and a review of who may read it.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> PlatformTables = new Dictionary<string, string>
    {
        ["user_sessions"] = "looked up by id before a tenant is known (sign-in, token refresh); tenant_id is null for a superadmin outside any tenant",
        ["jobs"] = "claimed across tenants by workers, which then enter the job's tenant to do the work under these same policies",
    };

    /// <summary>Every table in schema public with a tenant_id column, so tables added by later migrations are covered.</summary>
    public static async Task<IReadOnlyList<TenantTable>> ListAsync(NpgsqlConnection conn)
    {
        await using var cmd = new NpgsqlCommand("""
            select c.relname, c.relrowsecurity, c.relforcerowsecurity, not t.attnotnull,
                   array(select a.attname::text from pg_attribute a
                         where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
                           and a.attgenerated = '' and a.attidentity <> 'a'
                         order by a.attnum)
            from pg_class c
            join pg_namespace n on n.oid = c.relnamespace
            join pg_attribute t on t.attrelid = c.oid and t.attname = 'tenant_id' and not t.attisdropped
            where n.nspname = 'public' and c.relkind in ('r', 'p')
            order by c.relname
            """, conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        var tables = new List<TenantTable>();
        while (await reader.ReadAsync())
            tables.Add(new TenantTable(reader.GetString(0), reader.GetBoolean(1), reader.GetBoolean(2), reader.GetBoolean(3), reader.GetFieldValue<string[]>(4)));
        return tables;
    }

    public static async Task<IReadOnlyList<TenantTable>> ListTenantOwnedAsync(NpgsqlConnection conn) =>
        (await ListAsync(conn)).Where(t => !PlatformTables.ContainsKey(t.Name)).ToList();
}

/// <summary>
/// The real app with two tenants, A and B, each driven through the product until it has rows in every
/// tenant-owned table: members, leads, do-not-call numbers, dispositions, calling settings, an active
/// simulator, presence, a dialer queue, and a simulated call with its provider events (and the audit rows
/// all of that writes). A table that the product gains later needs a step here; the RLS tests fail, naming
/// it, until it has rows for both tenants.
/// </summary>
public sealed class TwoTenantsHost : SwitchboardHost
{
    public TestTenant A { get; private set; } = null!;
    public TestTenant B { get; private set; } = null!;

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["Jobs:PollSeconds"] = "0.2" };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        A = await CreateTenantAsync("rls-a");
        B = await CreateTenantAsync("rls-b");
        await Task.WhenAll(FillAsync(A), FillAsync(B));
    }

    private async Task FillAsync(TestTenant tenant)
    {
        using var admin = await LoginAsync(tenant.Email("admin"));
        using var manager = await LoginAsync(tenant.Email("manager"));
        using var agent = await LoginAsync(tenant.Email("agent"));
        (await admin.PutAsJsonAsync("/api/v1/telephony/providers/simulator", new
        {
            active = true, callerId = "(212) 555-0100", answerRate = 1, ringSeconds = 0.5, talkSeconds = 1, transcripts = false,
        })).EnsureSuccessStatusCode();
        (await admin.PatchAsJsonAsync("/api/v1/calling/settings", new { callingHours = CallingHost.AllDay() })).EnsureSuccessStatusCode();
        (await manager.PostAsJsonAsync("/api/v1/dnc", new { phone = "(212) 555-0199", reason = "asked" })).EnsureSuccessStatusCode();
        (await agent.GetAsync("/api/v1/dispositions")).EnsureSuccessStatusCode();
        (await agent.PutAsJsonAsync("/api/v1/presence/me", new { state = "available" })).EnsureSuccessStatusCode();
        var lead = await manager.PostAsJsonAsync("/api/v1/leads", new { lastName = "Prospect", phone = "(212) 555-0190", ownerId = tenant.Users["agent"] });
        lead.EnsureSuccessStatusCode();
        var leadId = (await lead.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await CreateDialerQueueAsync(tenant);

        var call = await agent.PostAsJsonAsync("/api/v1/calls", new { leadId });
        call.EnsureSuccessStatusCode();
        var callId = (await call.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var done = await CallingHost.WaitForCallAsync(agent, callId, c => c.GetProperty("status").GetString() == "completed");
        if (done.GetProperty("status").GetString() != "completed")
            throw new InvalidOperationException($"The simulated call of tenant {tenant.Slug} did not complete: {done}");
    }

    /// <summary>Dialer queues are saved from the dialer page only, so this calls the page's service directly, as that user.</summary>
    private async Task CreateDialerQueueAsync(TestTenant tenant)
    {
        await using var scope = Services.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<TenantContext>();
        await context.SetUserAsync(tenant.Users["agent"], isSuperadmin: false);
        await context.EnterTenantAsync(new TenantSettings(tenant.Id, tenant.Slug, tenant.Slug, true, "America/New_York", "USD", "MM/dd/yyyy", "US"), TenantRole.Agent);
        var created = await scope.ServiceProvider.GetRequiredService<DialerQueues>()
            .CreateAsync(new DialerQueueRequest("New leads", ["new"], NeverCalled: true, LastCalledBefore: null, OwnerId: null), CancellationToken.None);
        if (created is not Switchboard.Platform.Web.Outcome<DialerQueueDto>.Ok)
            throw new InvalidOperationException($"Cannot create a dialer queue for tenant {tenant.Slug}: {created}");
    }
}
