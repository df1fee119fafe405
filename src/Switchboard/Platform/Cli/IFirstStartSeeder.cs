namespace Switchboard.Platform.Cli;

/// <summary>
/// Data a feature writes on the first start of an embedded database (`switchboard run`), never on a database the
/// operator configured. Platform only runs the registered seeders; what they write belongs to their feature.
/// </summary>
public interface IFirstStartSeeder
{
    Task SeedOnFirstStartAsync(IServiceProvider services, CancellationToken ct);

    /// <summary>A line for the console once the app is listening (e.g. the demo sign-ins), or null.</summary>
    string? Banner { get; }
}
