using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Switchboard.Platform.Cli;
using Switchboard.Testing;

namespace Switchboard.Tests.Platform.Cli;

/// <summary>
/// A host for the administrator's commands (ADR 0067): each command runs with the host's services, as
/// <c>switchboard VERB …</c> does with the app's. Its job worker is off, so job rows a test writes stay as written.
/// </summary>
public sealed class CliHost : SwitchboardHost
{
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["Jobs:Enabled"] = "false" };

    /// <summary>Runs <typeparamref name="TCommand"/> with <paramref name="args"/>; its exit code and what it printed.</summary>
    public async Task<(int Code, string Output)> RunAsync<TCommand>(params string[] args) where TCommand : ICliCommand
    {
        var output = new StringWriter();
        var code = await ActivatorUtilities.CreateInstance<TCommand>(Services).RunAsync(args, output, CancellationToken.None);
        return (code, output.ToString());
    }

    /// <summary>The rows of an ad-hoc query as the superuser (past row-level security), the first column of each.</summary>
    public async Task<List<object?>> QueryAsync(string sql, params object[] parameters)
    {
        await using var conn = new NpgsqlConnection(Database.SuperuserConnectionString);
        await conn.OpenAsync();
        await using var command = new NpgsqlCommand(sql, conn);
        foreach (var p in parameters) command.Parameters.Add(new NpgsqlParameter { Value = p });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object?>();
        while (await reader.ReadAsync()) rows.Add(reader.IsDBNull(0) ? null : reader.GetValue(0));
        return rows;
    }

    public async Task<T> ScalarAsync<T>(string sql, params object[] parameters) => (T)(await QueryAsync(sql, parameters)).Single()!;

    /// <summary>The answer to a sign-in through the API (200, or why not).</summary>
    public async Task<System.Net.HttpStatusCode> SignInStatusAsync(string email, string? tenant = null, string password = Password)
    {
        using var anonymous = CreateClient();
        var response = await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(anonymous, "/api/v1/auth/login", new { email, password, tenant });
        return response.StatusCode;
    }
}
