using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using OtpNet;
using Switchboard.Testing;
using static Switchboard.Tests.Features.Auth.AccountSupport;

namespace Switchboard.Tests.Features.TwoFactor;

/// <summary>What the two-factor tests share: enrolling an account through the API and computing its codes as an authenticator app does.</summary>
public static class TwoFactorSupport
{
    /// <summary>An enrolled account; <paramref name="ConfirmedAt"/> is the instant whose code confirmed the enrolment.</summary>
    public sealed record Enrolled(Account Account, string Secret, IReadOnlyList<string> RecoveryCodes, HttpClient Client, DateTime ConfirmedAt)
    {
        /// <summary>
        /// The code <paramref name="steps"/> time steps after the confirming one — counted from that instant, not from
        /// the clock now, so a test that crosses a 30-second boundary still sends the step it means.
        /// </summary>
        public string Code(int steps) => new Totp(Base32Encoding.ToBytes(Secret)).ComputeTotp(ConfirmedAt.AddSeconds(30 * steps));
    }

    /// <summary>The code an authenticator app shows <paramref name="steps"/> time steps (30 s each) from now.</summary>
    public static string Code(string secret, int steps = 0) =>
        new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(DateTime.UtcNow.AddSeconds(30 * steps));

    /// <summary>A new account with TOTP confirmed (with the code of the current step, so the next step's code signs in).</summary>
    public static async Task<Enrolled> EnrolAsync(SwitchboardHostWithTenant host, string name = "mfa")
    {
        var account = await NewAccountAsync(host, name);
        var client = await host.LoginAsync(account.Email);
        var enrolment = await (await client.PostAsync("/api/v1/auth/2fa/totp", null)).Content.ReadFromJsonAsync<JsonElement>();
        var secret = enrolment.GetProperty("secret").GetString()!;
        var confirmedAt = DateTime.UtcNow;
        var confirmed = await client.PostAsJsonAsync("/api/v1/auth/2fa/totp/confirm", new { code = new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(confirmedAt) });
        confirmed.EnsureSuccessStatusCode();
        var codes = (await confirmed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("recoveryCodes").EnumerateArray().Select(c => c.GetString()!).ToList();
        return new Enrolled(account, secret, codes, client, confirmedAt);
    }

    /// <summary>The first step for an account with a second factor: its mfaToken.</summary>
    public static async Task<string> ChallengeAsync(SwitchboardHost host, string email)
    {
        var answer = await LoginAsync(host, email, SwitchboardHost.Password);
        answer.EnsureSuccessStatusCode();
        return (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("mfaToken").GetString()!;
    }

    public static async Task<HttpResponseMessage> SecondStepAsync(SwitchboardHost host, string mfaToken, string code)
    {
        using var anonymous = host.CreateClient();
        return await anonymous.PostAsJsonAsync("/api/v1/auth/login/mfa", new { mfaToken, code });
    }

    /// <summary>One statement as the database owner inside <paramref name="tenantId"/> (row-level security holds the owner too).</summary>
    public static async Task<int> ExecuteInTenantAsync(SwitchboardHost host, Guid tenantId, string sql, params object[] values)
    {
        await using var conn = await OwnerInTenantAsync(host, tenantId);
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var value in values) cmd.Parameters.Add(new NpgsqlParameter { Value = value });
        return await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>A connection as the database owner, entered into <paramref name="tenantId"/> (row-level security holds the owner too).</summary>
    public static async Task<NpgsqlConnection> OwnerInTenantAsync(SwitchboardHost host, Guid tenantId)
    {
        var conn = new NpgsqlConnection(host.Database.OwnerConnectionString);
        await conn.OpenAsync();
        await using var settings = new NpgsqlCommand("select set_config('app.tenant_id', $1, false), set_config('app.platform', 'on', false)", conn);
        settings.Parameters.Add(new NpgsqlParameter { Value = tenantId.ToString() });
        await settings.ExecuteNonQueryAsync();
        return conn;
    }
}
