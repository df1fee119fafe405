using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Switchboard.Testing;
using static Switchboard.Tests.Features.Auth.AccountSupport;

namespace Switchboard.Tests.Features.Passkeys;

/// <summary>
/// What the passkey tests share. The app listens on 127.0.0.1, but WebAuthn binds passkeys to a domain: the clients
/// send Host: localhost:PORT, so the relying party (from the request, no App:PublicUrl set) is localhost and the
/// origin http://localhost:PORT, as for a browser on localhost.
/// </summary>
public static class PasskeySupport
{
    public sealed record Registered(Account Account, SoftwareAuthenticator Authenticator, HttpClient Client, JsonElement Added);

    public static string Origin(SwitchboardHost host) => $"http://localhost:{host.BaseAddress.Port}";

    public static HttpClient Client(SwitchboardHost host, string? accessToken = null)
    {
        var client = host.CreateClient(accessToken);
        client.DefaultRequestHeaders.Host = $"localhost:{host.BaseAddress.Port}";
        return client;
    }

    /// <summary>A client signed in through the API with the password (for an account without a second factor).</summary>
    public static async Task<HttpClient> SignedInAsync(SwitchboardHost host, string email)
    {
        using var anonymous = Client(host);
        var response = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email, password = SwitchboardHost.Password });
        response.EnsureSuccessStatusCode();
        return Client(host, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString());
    }

    /// <summary>A new account with one passkey (named <paramref name="passkeyName"/>) added through the API.</summary>
    public static async Task<Registered> RegisterAsync(SwitchboardHostWithTenant host, string name, string passkeyName = "Test key")
    {
        var account = await NewAccountAsync(host, name);
        var client = await SignedInAsync(host, account.Email);
        var authenticator = new SoftwareAuthenticator(Origin(host));
        var added = await AddAsync(client, authenticator, passkeyName);
        added.EnsureSuccessStatusCode();
        return new Registered(account, authenticator, client, await added.Content.ReadFromJsonAsync<JsonElement>());
    }

    public static async Task<HttpResponseMessage> AddAsync(HttpClient client, SoftwareAuthenticator authenticator, string name)
    {
        var options = await OptionsAsync(await client.PostAsync("/api/v1/auth/2fa/passkeys/options", null));
        return await client.PostAsJsonAsync("/api/v1/auth/2fa/passkeys", new { name, credential = authenticator.Register(options) });
    }

    public static async Task<JsonElement> OptionsAsync(HttpResponseMessage response)
    {
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The first step (password) of an account with a second factor: its mfaToken and methods.</summary>
    public static async Task<JsonElement> ChallengeAsync(SwitchboardHost host, string email)
    {
        using var anonymous = Client(host);
        var answer = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email, password = SwitchboardHost.Password });
        answer.EnsureSuccessStatusCode();
        return await answer.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The second step answered with <paramref name="authenticator"/>'s passkey.</summary>
    public static async Task<HttpResponseMessage> SecondStepAsync(SwitchboardHost host, string mfaToken, SoftwareAuthenticator authenticator)
    {
        using var anonymous = Client(host);
        var options = await OptionsAsync(await anonymous.PostAsJsonAsync("/api/v1/auth/login/mfa/passkey", new { mfaToken }));
        return await anonymous.PostAsJsonAsync("/api/v1/auth/login/mfa", new { mfaToken, passkey = authenticator.Assert(options) });
    }

    /// <summary>The passwordless sign-in with <paramref name="authenticator"/>'s passkey.</summary>
    public static async Task<HttpResponseMessage> PasswordlessAsync(SwitchboardHost host, SoftwareAuthenticator authenticator, string? tenant = null)
    {
        using var anonymous = Client(host);
        var options = await OptionsAsync(await anonymous.PostAsync("/api/v1/auth/login/passkey/options", null));
        return await anonymous.PostAsJsonAsync("/api/v1/auth/login/passkey", new { credential = authenticator.Assert(options), tenant });
    }

    /// <summary>One value read as the database owner inside <paramref name="tenantId"/> (row-level security holds the owner too).</summary>
    public static async Task<object?> ScalarInTenantAsync(SwitchboardHost host, Guid tenantId, string sql, params object[] values)
    {
        await using var conn = await TwoFactor.TwoFactorSupport.OwnerInTenantAsync(host, tenantId);
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var value in values) cmd.Parameters.Add(new NpgsqlParameter { Value = value });
        var result = await cmd.ExecuteScalarAsync();
        return result is DBNull ? null : result;
    }
}
