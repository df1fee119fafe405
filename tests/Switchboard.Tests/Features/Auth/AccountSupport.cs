using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Auth;

/// <summary>What the tests of a person's own account share: a fresh account to change, the token in an emailed link, SQL as the owner.</summary>
public static partial class AccountSupport
{
    public sealed record Account(Guid Id, string Email);

    /// <summary>A new agent of the host's tenant with its own address (made by a superadmin), so that a test may change its password or email freely.</summary>
    public static async Task<Account> NewAccountAsync(SwitchboardHostWithTenant host, string name = "person")
    {
        var email = $"{name}-{Guid.NewGuid():N}@example.test";
        var root = await host.As("superadmin");
        var response = await root.PostAsJsonAsync("/api/v1/users", new { email, firstName = "Ada", lastName = "Lovelace", role = "agent", password = SwitchboardHost.Password });
        response.EnsureSuccessStatusCode();
        return new Account((await response.Content.ReadFromJsonAsync<IdOnly>())!.Id, email);
    }

    /// <summary>
    /// One value, read or written as the database owner. Row-level security holds the owner too, so the connection sees
    /// the host's tenant and the platform's rows (audit log, outbound mail). Pass an array as <c>(object)array</c>.
    /// </summary>
    public static async Task<object?> ScalarAsync(SwitchboardHostWithTenant host, string sql, params object[] values)
    {
        await using var conn = new NpgsqlConnection(host.Database.OwnerConnectionString);
        await conn.OpenAsync();
        await using (var settings = new NpgsqlCommand("select set_config('app.tenant_id', $1, false), set_config('app.platform', 'on', false)", conn))
        {
            settings.Parameters.Add(new NpgsqlParameter { Value = host.Tenant.Id.ToString() });
            await settings.ExecuteNonQueryAsync();
        }
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var value in values) cmd.Parameters.Add(new NpgsqlParameter { Value = value });
        var result = await cmd.ExecuteScalarAsync();
        return result is DBNull ? null : result;
    }

    /// <summary>The audit actions written about the user, oldest first.</summary>
    public static async Task<string> AuditActionsAsync(SwitchboardHostWithTenant host, Guid userId) =>
        (string?)await ScalarAsync(host, "select string_agg(action, ',' order by occurred_at, id) from audit_log where entity_type = 'user' and entity_id = $1 and action like 'user.%' and action not in ('user.signed-in', 'user.sign-in-failed')",
            userId.ToString()) ?? "";

    public static async Task<HttpResponseMessage> LoginAsync(SwitchboardHost host, string email, string password)
    {
        using var anonymous = host.CreateClient();
        return await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email, password });
    }

    /// <summary>A 400 whose first message for <paramref name="field"/> is <paramref name="message"/>.</summary>
    public static async Task ShouldBeInvalidAsync(HttpResponseMessage response, string field, string message)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty(field)[0].GetString().ShouldBe(message);
    }

    public static int Count(TestSmtpServer smtp, string address) =>
        smtp.Received.Count(m => m.To.Mailboxes.Any(b => b.Address.Equals(address, StringComparison.OrdinalIgnoreCase)));

    private sealed record IdOnly(Guid Id);
}
