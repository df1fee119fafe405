using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Npgsql;
using Switchboard.Testing;
using Switchboard.Tests.Features.Calls;
using static Switchboard.Tests.Features.ApiKeys.ApiKeyClients;

namespace Switchboard.Tests.Features.Mcp;

/// <summary>
/// The fixture tenant with the simulator as its telephony provider (calling hours open all day), API keys made once per
/// grant by its administrator, and MCP clients that connect to /mcp with them.
/// </summary>
public sealed class McpHost : SwitchboardHostWithTenant
{
    private readonly ConcurrentDictionary<string, Lazy<Task<CreatedKey>>> _keys = new();

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["Jobs:PollSeconds"] = "0.2" };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var admin = await As("admin");
        (await admin.PutAsJsonAsync("/api/v1/telephony/providers/simulator", new
        {
            active = true, callerId = "(212) 555-0100", answerRate = 1, ringSeconds = 0.5, talkSeconds = 1, transcripts = false,
        })).EnsureSuccessStatusCode();
        (await admin.PatchAsJsonAsync("/api/v1/calling/settings", new { callingHours = CallingHost.AllDay(), maxAttemptsPerDay = 50 })).EnsureSuccessStatusCode();
    }

    /// <summary>A key for "role:agent" or for a comma-separated scope list such as "leads:read,activities:read".</summary>
    public Task<CreatedKey> KeyAsync(string grant) => _keys.GetOrAdd(grant, g => new Lazy<Task<CreatedKey>>(async () =>
    {
        var admin = await As("admin");
        object body = g.StartsWith("role:", StringComparison.Ordinal) ? new { name = $"MCP {g}", role = g[5..] } : new { name = $"MCP {g}", scopes = g.Split(',') };
        return await CreateAsync(admin, body);
    })).Value;

    public Uri Endpoint => new(BaseAddress, "mcp");

    /// <summary>The official MCP client over streamable HTTP, sending the key as X-Api-Key.</summary>
    public async Task<McpClient> ConnectAsync(string key) =>
        await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = Endpoint, TransportMode = HttpTransportMode.StreamableHttp, Name = "tests",
            AdditionalHeaders = new Dictionary<string, string> { ["X-Api-Key"] = key },
        }));

    public async Task<McpClient> ConnectAsync(CreatedKey key) => await ConnectAsync(key.Key);

    /// <summary>A lead made through the REST API by the administrator.</summary>
    public async Task<Guid> LeadAsync(string lastName, string? phone = null)
    {
        var response = await (await As("admin")).PostAsJsonAsync("/api/v1/leads", new { lastName, phone });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public sealed record AuditRow(string Action, string ActorType, Guid? ActorId, string? ActorName);

    /// <summary>The audit rows of one record, read as the database owner entered into the fixture tenant.</summary>
    public async Task<List<AuditRow>> AuditRowsAsync(string entityType, Guid entityId)
    {
        await using var owner = new NpgsqlConnection(Database.OwnerConnectionString);
        await owner.OpenAsync();
        await using (var enter = new NpgsqlCommand($"select set_config('app.tenant_id', '{Tenant.Id}', false)", owner))
            await enter.ExecuteNonQueryAsync();
        await using var read = new NpgsqlCommand("select action, actor_type, actor_id, actor_name from audit_log where entity_type = $1 and entity_id = $2 order by occurred_at, id", owner)
        {
            Parameters = { new() { Value = entityType }, new() { Value = entityId.ToString() } },
        };
        await using var reader = await read.ExecuteReaderAsync();
        var rows = new List<AuditRow>();
        while (await reader.ReadAsync())
            rows.Add(new AuditRow(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetGuid(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
        return rows;
    }
}

/// <summary>Calling tools as an agent would, and reading their answers.</summary>
public static class Tools
{
    /// <summary>Calls the tool and returns its JSON answer; fails with the tool's error text if it reports one.</summary>
    public static async Task<JsonElement> OkAsync(this McpClient client, string tool, object? arguments = null)
    {
        var result = await client.CallToolAsync(tool, Arguments(arguments));
        var text = Text(result);
        (result.IsError == true).ShouldBeFalse($"{tool} failed: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Calls the tool expecting a tool error (not a protocol error), and returns its text.</summary>
    public static async Task<string> ErrorAsync(this McpClient client, string tool, object? arguments = null)
    {
        var result = await client.CallToolAsync(tool, Arguments(arguments));
        var text = Text(result);
        (result.IsError == true).ShouldBeTrue($"{tool} succeeded: {text}");
        return text;
    }

    private static string Text(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(c => c.Text));

    private static Dictionary<string, object?> Arguments(object? arguments) => arguments is null ? []
        : JsonSerializer.SerializeToElement(arguments).EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone());
}
