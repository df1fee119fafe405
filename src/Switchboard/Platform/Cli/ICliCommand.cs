using System.Reflection;

namespace Switchboard.Platform.Cli;

/// <summary>
/// A command a feature adds to <c>switchboard</c>: found by its <see cref="Verb"/> among the assembly's types (no
/// registration), created with the app's services once the database is migrated, and listed in the usage text.
/// </summary>
public interface ICliCommand
{
    /// <summary>The first word on the command line, e.g. <c>security-report</c>.</summary>
    static abstract string Verb { get; }

    /// <summary>The command's lines in the usage text, options included.</summary>
    static abstract string Usage { get; }

    /// <summary>Runs with the arguments after the verb; the exit code (0 success, 1 a finding or failure, 2 bad usage).</summary>
    Task<int> RunAsync(string[] args, TextWriter output, CancellationToken ct);
}

/// <summary>The feature commands in this assembly, by verb.</summary>
internal static class CliCommands
{
    private static readonly Lazy<IReadOnlyDictionary<string, (Type Type, string Usage)>> All = new(() =>
        typeof(ICliCommand).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ICliCommand).IsAssignableFrom(t))
            .ToDictionary(t => Static(t, nameof(ICliCommand.Verb)), t => (t, Static(t, nameof(ICliCommand.Usage))), StringComparer.Ordinal));

    public static Type? Find(string verb) => All.Value.TryGetValue(verb, out var command) ? command.Type : null;

    public static IEnumerable<string> UsageLines => All.Value.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => c.Value.Usage);

    private static string Static(Type type, string property) =>
        (string)type.GetProperty(property, BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
}

/// <summary>A command that runs without the startup checks and migrations (restore: the configured database may be the empty target).</summary>
public interface ICliCommandWithoutMigrations;
