using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Npgsql;
using Switchboard.Testing;
using static Switchboard.Tests.Features.ApiKeys.ApiKeyClients;

namespace Switchboard.Tests.Features.ApiKeys;

/// <summary>API keys (issue 12 §7, ADR 0043): created by administrators, shown once, stored hashed, used with X-Api-Key, revoked at once, audited as the key.</summary>
public sealed class ApiKeyTests(SwitchboardHostWithTenant host) : IClassFixture<SwitchboardHostWithTenant>
{
    [Fact]
    public async Task A_key_is_created_used_and_after_revocation_refused_on_the_next_request()
    {
        var admin = await host.As("admin");
        var key = await CreateAsync(admin, new { name = "CRM sync", role = "manager" });
        key.Key.ShouldStartWith("sb_live_");
        using var integration = host.With(key.Key);

        (await integration.GetAsync("/api/v1/leads")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await admin.DeleteAsync($"/api/v1/api-keys/{key.Id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        (await DetailAsync(await integration.GetAsync("/api/v1/leads"), HttpStatusCode.Unauthorized)).ShouldContain("'CRM sync' was revoked");
        (await admin.DeleteAsync($"/api/v1/api-keys/{key.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var listed = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/api-keys")).EnumerateArray().Single(k => k.GetProperty("id").GetGuid() == key.Id);
        listed.GetProperty("status").GetString().ShouldBe("revoked");
    }

    [Fact]
    public async Task The_key_is_shown_only_at_creation_and_stored_as_its_sha256()
    {
        var admin = await host.As("admin");
        var key = await CreateAsync(admin, new { name = "Hashed", scopes = new[] { "leads:read" } });
        var secret = key.Key[(key.Key.LastIndexOf('_', key.Key.Length - 44) + 1)..];

        var list = await admin.GetStringAsync("/api/v1/api-keys");
        list.ShouldNotContain(secret);
        list.ShouldContain(key.Key["sb_live_".Length..("sb_live_".Length + 12)]);

        await using var owner = await OwnerInTenantAsync();
        await using var read = new NpgsqlCommand("select k.key_hash, row_to_json(k)::text from api_keys k where k.id = $1", owner) { Parameters = { new() { Value = key.Id } } };
        await using var reader = await read.ExecuteReaderAsync();
        (await reader.ReadAsync()).ShouldBeTrue();
        reader.GetFieldValue<byte[]>(0).ShouldBe(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(key.Key)));
        reader.GetString(1).ShouldNotContain(secret);
    }

    [Fact]
    public async Task A_key_no_tenant_has_and_a_malformed_key_are_refused_alike_without_saying_more()
    {
        var other = await host.CreateTenantAsync("keys-elsewhere");
        using var otherAdmin = await host.LoginAsync(other.Email("admin"));
        var theirs = await CreateAsync(otherAdmin, new { name = "Theirs", role = "admin" });
        var forged = theirs.Key[..^4] + (theirs.Key.EndsWith("AAAA") ? "BBBB" : "AAAA");

        using var wrongSecret = host.With(forged);
        using var malformed = host.With("sb_live_nope");

        (await DetailAsync(await wrongSecret.GetAsync("/api/v1/leads"), HttpStatusCode.Unauthorized)).ShouldBe("The API key is not valid: it was mistyped, or it does not exist.");
        (await DetailAsync(await malformed.GetAsync("/api/v1/leads"), HttpStatusCode.Unauthorized)).ShouldContain("The API key is not valid");
    }

    [Fact]
    public async Task A_key_acts_in_its_own_tenant_only_and_another_tenants_key_is_not_found()
    {
        var other = await host.CreateTenantAsync("keys-other");
        using var otherAdmin = await host.LoginAsync(other.Email("admin"));
        var theirs = await CreateAsync(otherAdmin, new { name = "Theirs", role = "admin" });
        using var theirClient = host.With(theirs.Key);
        var lead = await (await theirClient.PostAsJsonAsync("/api/v1/leads", new { lastName = "OtherTenantLead" })).Content.ReadFromJsonAsync<JsonElement>();

        var admin = await host.As("admin");
        (await admin.DeleteAsync($"/api/v1/api-keys/{theirs.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await admin.GetStringAsync("/api/v1/api-keys")).ShouldNotContain(theirs.Id.ToString());
        var mine = host.With((await CreateAsync(admin, new { name = "Mine", role = "admin" })).Key);
        (await mine.GetAsync($"/api/v1/leads/{lead.GetProperty("id").GetGuid()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await theirClient.GetAsync("/api/v1/leads")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("manager")]
    [InlineData("agent")]
    [InlineData("readonly")]
    public async Task Only_administrators_create_list_and_revoke_keys(string role)
    {
        var admin = await host.As("admin");
        var key = await CreateAsync(admin, new { name = "Admin's", role = "readonly" });
        var client = await host.As(role);

        (await client.PostAsJsonAsync("/api/v1/api-keys", new { name = "Mine", role = "admin" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await client.GetAsync("/api/v1/api-keys")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await client.DeleteAsync($"/api/v1/api-keys/{key.Id}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    public static TheoryData<string, string, string> InvalidBodies => new()
    {
        { """{}""", "name", "Name is required." },
        { """{"role":"admin"}""", "name", "Name is required." },
        { $$"""{"name":"{{new string('n', 101)}}","role":"admin"}""", "name", "at most 100 characters" },
        { """{"name":"k"}""", "role", "role (admin, manager, agent, readonly) or a list of scopes" },
        { """{"name":"k","role":"owner"}""", "role", "'owner' is not a valid role" },
        { """{"name":"k","role":"admin","scopes":["leads:read"]}""", "scopes", "a role or scopes, not both" },
        { """{"name":"k","scopes":["leads:read","leads:delete"]}""", "scopes", "'leads:delete' is not a scope" },
        { """{"name":"k","scopes":["users:read"]}""", "scopes", "'users:read' is not a scope" },
        { """{"name":"k","scopes":[]}""", "scopes", "at least one scope" },
        { """{"name":"k","role":"admin","expiresAt":"2001-01-01T00:00:00Z"}""", "expiresAt", "in the future" },
        { """{"name":"k","role":"admin","expiresAt":"soon"}""", "expiresAt", "'expiresAt'" },
        { """{"name":"k","role":"admin","allowedIps":["10.0.0.1/8"]}""", "allowedIps", "bits set past its prefix" },
        { """{"name":"k","role":"admin","allowedIps":["not-an-ip"]}""", "allowedIps", "'not-an-ip' is not an IP address or CIDR block" },
        { """{"name":"k","role":"admin","allowedIps":["2001:db8::/129"]}""", "allowedIps", "'2001:db8::/129'" },
        { """{"name":"k","role":"admin","owner":"me"}""", "owner", "'owner' is not a known field" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task An_invalid_key_request_is_a_400_naming_the_field(string body, string field, string message)
    {
        var admin = await host.As("admin");

        var response = await admin.PostAsync("/api/v1/api-keys", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, text);
        var messages = JsonDocument.Parse(text).RootElement.GetProperty("errors").GetProperty(field).EnumerateArray().Select(m => m.GetString()).ToList();
        messages.ShouldContain(m => m!.Contains(message), string.Join(" | ", messages));
    }

    [Fact]
    public async Task Changes_made_with_a_key_are_audited_as_the_key_and_its_creation_and_revocation_as_the_admin()
    {
        var admin = await host.As("admin");
        var key = await CreateAsync(admin, new { name = "Audited sync", scopes = new[] { "leads:write" } });
        using var integration = host.With(key.Key);
        var lead = await (await integration.PostAsJsonAsync("/api/v1/leads", new { lastName = "ByKey" })).Content.ReadFromJsonAsync<JsonElement>();
        var leadId = lead.GetProperty("id").GetGuid();
        (await integration.PatchAsJsonAsync($"/api/v1/leads/{leadId}", new { company = "Keyed Inc" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await admin.DeleteAsync($"/api/v1/api-keys/{key.Id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var byKey = await AuditRowsAsync("lead", leadId.ToString());
        byKey.Select(r => r.Action).ShouldBe(["created", "updated"]);
        byKey.ShouldAllBe(r => r.ActorType == "api-key" && r.ActorId == key.Id && r.ActorName == "Audited sync");
        var ofKey = await AuditRowsAsync("api-key", key.Id.ToString());
        ofKey.Select(r => r.Action).ShouldBe(["api-key.created", "api-key.revoked"]);
        ofKey.ShouldAllBe(r => r.ActorType == "user" && r.ActorId == host.Tenant.Users["admin"]);
    }

    [Fact]
    public async Task A_bulk_action_started_with_a_key_runs_as_the_key_and_is_audited_as_it()
    {
        var admin = await host.As("admin");
        var key = await CreateAsync(admin, new { name = "Bulk sync", scopes = new[] { "leads:write" } });
        using var integration = host.With(key.Key);
        var lead = (await (await integration.PostAsJsonAsync("/api/v1/leads", new { lastName = "Bulked" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var started = await integration.PostAsJsonAsync("/api/v1/leads/bulk", new { ids = new[] { lead }, action = "status", value = "contacted" });
        started.StatusCode.ShouldBe(HttpStatusCode.Accepted, await started.Content.ReadAsStringAsync());
        var id = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var done = await Eventually.Until(() => admin.GetFromJsonAsync<JsonElement>($"/api/v1/bulk/{id}"),
            op => op.GetProperty("status").GetString() is "completed" or "failed", TimeSpan.FromSeconds(90), "the bulk action to finish");

        done.GetProperty("succeeded").GetInt32().ShouldBe(1, done.ToString());
        var updated = (await AuditRowsAsync("lead", lead.ToString())).Where(r => r.Action == "updated").ToList();
        updated.ShouldHaveSingleItem().ShouldBe(new AuditRow("updated", "api-key", key.Id, "Bulk sync"));
    }

    [Fact]
    public async Task A_key_stops_working_when_its_creator_is_no_longer_an_administrator()
    {
        using var root = await host.SuperadminAsync();
        var email = $"keymaker-{Guid.NewGuid():N}@{host.Tenant.Slug}.test";
        var added = await root.PostAsJsonAsync("/api/v1/users", new { email, firstName = "Key", lastName = "Maker", role = "admin", password = SwitchboardHost.Password, tenantId = host.Tenant.Id });
        added.EnsureSuccessStatusCode();
        var makerId = (await added.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        using var maker = await host.LoginAsync(email);
        var key = await CreateAsync(maker, new { name = "Maker's key", role = "readonly" });
        using var integration = host.With(key.Key);
        (await integration.GetAsync("/api/v1/leads")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var admin = await host.As("admin");
        (await admin.PatchAsJsonAsync($"/api/v1/users/{makerId}", new { role = "manager" })).EnsureSuccessStatusCode();

        (await DetailAsync(await integration.GetAsync("/api/v1/leads"), HttpStatusCode.Unauthorized)).ShouldContain("no longer an active administrator");
    }

    /// <summary>A connection as the database owner, entered into the fixture tenant (row-level security holds for the owner too).</summary>
    private async Task<NpgsqlConnection> OwnerInTenantAsync()
    {
        var owner = new NpgsqlConnection(host.Database.OwnerConnectionString);
        await owner.OpenAsync();
        await using var enter = new NpgsqlCommand($"select set_config('app.tenant_id', '{host.Tenant.Id}', false)", owner);
        await enter.ExecuteNonQueryAsync();
        return owner;
    }

    private sealed record AuditRow(string Action, string ActorType, Guid? ActorId, string? ActorName);

    private async Task<List<AuditRow>> AuditRowsAsync(string entityType, string entityId)
    {
        await using var owner = await OwnerInTenantAsync();
        await using var read = new NpgsqlCommand("select action, actor_type, actor_id, actor_name from audit_log where entity_type = $1 and entity_id = $2 order by occurred_at, id", owner)
        {
            Parameters = { new() { Value = entityType }, new() { Value = entityId } },
        };
        await using var reader = await read.ExecuteReaderAsync();
        var rows = new List<AuditRow>();
        while (await reader.ReadAsync())
            rows.Add(new AuditRow(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetGuid(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
        return rows;
    }
}
