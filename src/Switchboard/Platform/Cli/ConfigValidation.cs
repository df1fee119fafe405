using System.Reflection;
using MailKit.Net.Smtp;
using Npgsql;
using Switchboard.Platform.Email;

namespace Switchboard.Platform.Cli;

/// <summary>
/// <c>switchboard config validate</c>: every typed options class (<see cref="IValidatedOptions"/>) bound and validated
/// as startup would, each database connection string tried (a <c>select 1</c>), and the SMTP server, when one is
/// configured, connected to (no mail is sent). One line per problem; exit code 1 when there is any.
/// </summary>
public static class ConfigValidation
{
    public static async Task<int> RunAsync(IServiceProvider services, TextWriter output, CancellationToken ct)
    {
        var problems = new List<string>();
        var checkedOptions = 0;
        foreach (var type in typeof(IValidatedOptions).Assembly.GetTypes()
                     .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IValidatedOptions).IsAssignableFrom(t))
                     .OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            checkedOptions++;
            try
            {
                // Reading Value binds the section and runs the registered validation, as ValidateOnStart does.
                var options = services.GetRequiredService(typeof(IOptions<>).MakeGenericType(type));
                options.GetType().GetProperty(nameof(IOptions<object>.Value))!.GetValue(options);
            }
            catch (TargetInvocationException e) when (e.InnerException is OptionsValidationException invalid)
            {
                problems.AddRange(invalid.Failures);
            }
            catch (TargetInvocationException e) when (e.InnerException is InvalidOperationException binding)
            {
                problems.Add($"Invalid setting: {binding.Message}");
            }
        }

        var configuration = services.GetRequiredService<IConfiguration>();
        var tried = 0;
        foreach (var key in new[] { DatabaseConnections.RuntimeKey, DatabaseConnections.OwnerKey, DatabaseConnections.SessionKey, DatabaseConnections.StandbyKey })
        {
            var value = configuration[key];
            if (string.IsNullOrWhiteSpace(value))
            {
                if (key == DatabaseConnections.RuntimeKey) problems.Add($"{key} is not set: the app has no database (only `switchboard run` starts an embedded one).");
                continue;
            }
            tried++;
            if (await TryDatabaseAsync(value, ct) is { } problem) problems.Add($"{key}: {problem}");
        }

        var smtp = services.GetRequiredService<IOptionsMonitor<SmtpOptions>>();
        var smtpTried = false;
        SmtpOptions? mail = null;
        try { mail = smtp.CurrentValue; } catch (OptionsValidationException) { /* reported above */ }
        if (mail is { IsConfigured: true })
        {
            smtpTried = true;
            if (await TrySmtpAsync(mail, ct) is { } problem) problems.Add($"Smtp: cannot connect to {mail.Describe()}: {problem}");
        }

        foreach (var problem in problems) await output.WriteLineAsync(problem);
        var summary = $"{checkedOptions} settings section(s), {tried} database connection(s){(smtpTried ? ", the SMTP server" : "")} checked";
        await output.WriteLineAsync(problems.Count == 0 ? $"{summary}: no problems." : $"{summary}: {problems.Count} problem(s).");
        return problems.Count == 0 ? 0 : 1;
    }

    private static async Task<string?> TryDatabaseAsync(string connectionString, CancellationToken ct)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Timeout = 5 };
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand("select 1", connection);
            await command.ExecuteScalarAsync(ct);
            return null;
        }
        catch (Exception e) when (e is NpgsqlException or ArgumentException or InvalidOperationException or TimeoutException)
        {
            return e.Message.ReplaceLineEndings(" ");
        }
    }

    private static async Task<string?> TrySmtpAsync(SmtpOptions options, CancellationToken ct)
    {
        using var client = new SmtpClient { Timeout = 10_000 };
        try
        {
            await client.ConnectAsync(options.Host!, options.EffectivePort, options.SocketOptions, ct);
            await client.DisconnectAsync(quit: true, ct);
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return e.Message.ReplaceLineEndings(" ");
        }
    }
}
