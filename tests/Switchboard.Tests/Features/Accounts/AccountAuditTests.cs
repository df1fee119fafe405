using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Accounts;

/// <summary>
/// The audit trail of account and contact changes. Their role matrix and cross-tenant rule are checked for every
/// registered record entity by Records/OwnedRecordMatrixTests.
/// </summary>
public sealed class AccountAuditTests(SwitchboardHostWithTenant host) : IClassFixture<SwitchboardHostWithTenant>
{
    private TestTenant _tenant => host.Tenant;

    private async Task<Guid> RecordOwnedBy(string collection, string role)
    {
        var manager = await host.As("manager");
        var body = collection == "accounts"
            ? (object)new { name = "Owned by " + role, ownerId = _tenant.Users[role] }
            : new { lastName = "Owned by " + role, ownerId = _tenant.Users[role] };
        var response = await manager.PostAsJsonAsync($"/api/v1/{collection}", body);
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    [Theory]
    [InlineData("accounts", "account")]
    [InlineData("contacts", "contact")]
    public async Task Changes_are_audited_with_old_and_new_values(string collection, string entity)
    {
        var record = await RecordOwnedBy(collection, "agent");
        await (await host.As("manager")).PatchAsJsonAsync($"/api/v1/{collection}/{record}", new { ownerId = _tenant.Users["agent2"] });
        var admin = await host.As("admin");

        var audit = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?entity={entity}&entityId={record}");

        var entries = audit.GetProperty("items").EnumerateArray().ToList();
        entries.Select(e => e.GetProperty("action").GetString()).ShouldBe(["updated", "created"]);
        var owner = entries[0].GetProperty("changes").GetProperty("ownerId");
        owner.GetProperty("old").GetGuid().ShouldBe(_tenant.Users["agent"]);
        owner.GetProperty("new").GetGuid().ShouldBe(_tenant.Users["agent2"]);
    }
}
