using System.Text;
using System.Text.Json;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Webhooks;

/// <summary>The app on a <see cref="FakeTimeProvider"/> (retry waits pass only when a test advances it), with helpers to subscribe and read.</summary>
public class WebhooksHost : SwitchboardHost
{
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["Webhooks:PollSeconds"] = "0.1" };

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);

    public async Task<(TestTenant Tenant, HttpClient Admin)> NewTenantAsync(string prefix = "hooks")
    {
        var tenant = await CreateTenantAsync(prefix);
        // An admin API key rather than a signed-in token: tests move the clock by days, past any access token's life.
        using var signedIn = await LoginAsync($"admin@{tenant.Slug}.test", tenant.Slug);
        var created = await signedIn.PostAsJsonAsync("/api/v1/api-keys", new { name = "webhook tests", role = "admin" });
        created.EnsureSuccessStatusCode();
        var key = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString();
        var admin = CreateClient();
        admin.DefaultRequestHeaders.Add("X-Api-Key", key);
        return (tenant, admin);
    }

    public async Task<long> ScalarAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(Database.SuperuserConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    public Task ExecuteAsync(string sql, params (string Name, object Value)[] parameters) => ScalarAsync(sql + "; select 0", parameters);
}

public static class WebhookClient
{
    public sealed record Created(Guid Id, string Secret);

    public static async Task<Created> SubscribeAsync(this HttpClient admin, string url, object? events = null, string[]? changedFields = null)
    {
        var response = await admin.PostAsJsonAsync("/api/v1/webhooks", new { url, events = events ?? new[] { "*" }, changedFields });
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"Subscribing failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<Created>())!;
    }

    public static async Task<JsonElement[]> DeliveriesAsync(this HttpClient admin, Guid webhook, string query = "") =>
        (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/webhooks/{webhook}/deliveries{query}")).GetProperty("items").EnumerateArray().ToArray();

    public static async Task<Guid> CreateLeadAsync(this HttpClient client, string lastName)
    {
        var response = await client.PostAsJsonAsync("/api/v1/leads", new { firstName = "Ada", lastName, email = $"{lastName.ToLowerInvariant()}@example.com" });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }
}
