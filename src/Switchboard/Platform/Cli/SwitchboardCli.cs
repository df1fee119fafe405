using Npgsql;

namespace Switchboard.Platform.Cli;

/// <summary>
/// The app's command line: <c>run</c> (embedded PostgreSQL when no connection string is configured, demo
/// data on first start), <c>serve</c> (the default), <c>migrate [--status]</c>, <c>create-superadmin</c>, <c>audit verify</c>.
/// Startup problems end the process with one line on stderr and exit code 1.
/// </summary>
public static class SwitchboardCli
{
    private const string Usage = """
        Usage: switchboard <command> [options]

          run                                  Serve UI and API; with no connection string configured, on an embedded
                                               PostgreSQL under $SWITCHBOARD_DATA (default ./.switchboard) with demo data.
          serve                                Serve UI and API on ConnectionStrings__Switchboard (no embedded cluster).
          migrate [--status]                   Apply pending migrations, or list them with --status.
          create-superadmin --email E --password P
                                               Create a superadmin, or set the password of an existing user and make them superadmin.
          mail test --to ADDRESS               Send a test email through the configured SMTP server (Smtp:*) now, and say
                                               what happened; with none configured under `run`, it lands in the dev mailbox.
          audit verify [--tenant SLUG]         Recompute the audit log's hash chains (every tenant's and the platform's, or one
                                               tenant's) and name the first broken row; exit code 1 when one is broken.

        Options: --urls http://host:port (default http://127.0.0.1:5080)
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter? errors = null)
    {
        errors ??= Console.Error;
        var verb = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : "serve";
        var rest = args.Length > 0 && !args[0].StartsWith('-') ? args[1..] : args;
        try
        {
            return verb switch
            {
                "run" => await ServeAsync(rest, allowEmbedded: true),
                "serve" => await ServeAsync(rest, allowEmbedded: false),
                "migrate" => await MigrateAsync(rest),
                "create-superadmin" => await CreateSuperadminAsync(rest),
                "mail" => await MailAsync(rest),
                "audit" => await AuditAsync(rest),
                _ when CliCommands.Find(verb) is { } command => await FeatureCommandAsync(command, rest),
                "help" or "--help" or "-h" => PrintUsage(Console.Out, 0),
                _ => PrintUsage(errors, 2, $"Unknown command '{verb}'."),
            };
        }
        catch (Exception e) when (e is StartupException or MigrationChecksumMismatchException or OptionsValidationException or CliException)
        {
            await errors.WriteLineAsync($"switchboard: {e.Message}");
            return 1;
        }
        catch (NpgsqlException e)
        {
            await errors.WriteLineAsync($"switchboard: database error: {e.Message}");
            return 1;
        }
    }

    private static async Task<int> ServeAsync(string[] args, bool allowEmbedded)
    {
        await using var database = await EmbeddedDatabase.AttachAsync(args, allowEmbedded);
        var app = Program.BuildApp(args, database.Settings);
        await app.Services.GetRequiredService<DatabaseStartup>().RunAsync(CancellationToken.None);
        var seeders = database.IsEmbedded ? app.Services.GetServices<IFirstStartSeeder>().ToList() : [];
        foreach (var seeder in seeders) await seeder.SeedOnFirstStartAsync(app.Services, CancellationToken.None);

        app.Lifetime.ApplicationStarted.Register(() =>
        {
            Console.WriteLine($"Switchboard is running at {string.Join(", ", app.Urls)}");
            if (database.IsEmbedded)
            {
                Console.WriteLine($"Embedded PostgreSQL on 127.0.0.1:{database.Port}, data in {database.DataDirectory}");
                foreach (var banner in seeders.Select(s => s.Banner).OfType<string>()) Console.WriteLine(banner);
            }
            Console.WriteLine("Press Ctrl+C to stop.");
        });
        await app.RunAsync();
        return 0;
    }

    private static async Task<int> MigrateAsync(string[] args)
    {
        await using var database = await EmbeddedDatabase.AttachAsync(args, allowEmbedded: true);
        var app = Program.BuildApp(args.Where(a => a != "--status").ToArray(), database.Settings);
        app.Services.GetRequiredService<StartupSettings>().Validate();
        var connections = app.Services.GetRequiredService<DatabaseConnections>();
        var runner = app.Services.GetRequiredService<MigrationRunner>();
        if (args.Contains("--status"))
        {
            var status = await runner.StatusAsync(connections.Migrations);
            foreach (var m in status)
                Console.WriteLine($"{m.Version:D4}_{m.Name,-40} {(m.Applied ? $"applied {m.AppliedAt:u}" : "pending")}");
            Console.WriteLine($"{status.Count(m => m.Applied)} applied, {status.Count(m => !m.Applied)} pending");
            return 0;
        }
        var applied = await runner.ApplyAsync(connections.Migrations);
        Console.WriteLine(applied == 0 ? "Database is up to date." : $"Applied {applied} migration(s).");
        return 0;
    }

    private static async Task<int> CreateSuperadminAsync(string[] args)
    {
        var email = Option(args, "--email") ?? throw new CliException("create-superadmin needs --email.");
        var password = Option(args, "--password") ?? throw new CliException("create-superadmin needs --password.");
        await using var database = await EmbeddedDatabase.AttachAsync(args, allowEmbedded: true);
        var app = Program.BuildApp(args, database.Settings);
        await app.Services.GetRequiredService<DatabaseStartup>().RunAsync(CancellationToken.None);
        var outcome = await Superadmins.EnsureAsync(app.Services, email, password, CancellationToken.None);
        Console.WriteLine(outcome);
        return 0;
    }

    private static async Task<int> MailAsync(string[] args)
    {
        if (args.FirstOrDefault() != "test") throw new CliException("Usage: switchboard mail test --to ADDRESS");
        var to = Option(args, "--to") ?? throw new CliException("mail test needs --to ADDRESS.");
        if (!MimeKit.MailboxAddress.TryParse(to, out var address) || !address.Address.Contains('@'))
            throw new CliException($"'{to}' is not an email address.");
        await using var database = await EmbeddedDatabase.AttachAsync(args, allowEmbedded: true);
        var app = Program.BuildApp(args[1..], database.Settings);
        await app.Services.GetRequiredService<DatabaseStartup>().RunAsync(CancellationToken.None);
        var (message, smtp) = await Email.TestMessages.SendNowAsync(app.Services, address.Address, $"switchboard mail test on {Environment.MachineName}", CancellationToken.None);
        Console.WriteLine(message.Status switch
        {
            Email.EmailStatus.Sent => $"Sent a test message to {message.ToAddress} through {smtp.Describe()} (Message-ID <{message.MessageId}>).",
            Email.EmailStatus.Kept => $"SMTP is not configured: the test message to {message.ToAddress} is in the dev mailbox (Outgoing mail, superadmins).",
            _ => $"Not sent to {message.ToAddress} through {smtp.Describe()}: {message.LastError}",
        });
        return message.Status is Email.EmailStatus.Sent or Email.EmailStatus.Kept ? 0 : 1;
    }

    private static async Task<int> AuditAsync(string[] args)
    {
        if (args.FirstOrDefault() != "verify") throw new CliException("audit needs a subcommand: audit verify [--tenant SLUG].");
        var slug = CliTenants.SlugOption(args);
        await using var database = await EmbeddedDatabase.AttachAsync(args[1..], allowEmbedded: true);
        var app = Program.BuildApp(args[1..], database.Settings);
        await app.Services.GetRequiredService<DatabaseStartup>().RunAsync(CancellationToken.None);
        return await AuditVerification.RunAsync(app.Services, slug, Console.Out, CancellationToken.None);
    }

    /// <summary>A feature's command (<see cref="ICliCommand"/>), run with the app's services against the migrated database.</summary>
    private static async Task<int> FeatureCommandAsync(Type command, string[] args)
    {
        await using var database = await EmbeddedDatabase.AttachAsync(args, allowEmbedded: true);
        var app = Program.BuildApp(args, database.Settings);
        if (!typeof(ICliCommandWithoutMigrations).IsAssignableFrom(command))
            await app.Services.GetRequiredService<DatabaseStartup>().RunAsync(CancellationToken.None);
        await using var scope = app.Services.CreateAsyncScope();
        var instance = (ICliCommand)ActivatorUtilities.CreateInstance(scope.ServiceProvider, command);
        return await instance.RunAsync(args, Console.Out, CancellationToken.None);
    }

    /// <summary>The value after an option's name (<c>--tenant acme</c>), or null when the option is absent or last.</summary>
    public static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    private static int PrintUsage(TextWriter writer, int code, string? error = null)
    {
        if (error is not null) writer.WriteLine($"switchboard: {error}");
        var options = Usage.LastIndexOf("\nOptions:", StringComparison.Ordinal);
        writer.WriteLine(Usage[..options].TrimEnd());
        foreach (var lines in CliCommands.UsageLines) writer.WriteLine(lines);
        writer.WriteLine(Usage[options..]);
        return code;
    }
}

public sealed class CliException(string message) : Exception(message);
