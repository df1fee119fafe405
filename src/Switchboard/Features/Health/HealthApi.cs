using Npgsql;

namespace Switchboard.Features.Health;

public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", () => Results.Ok(new { status = "healthy" }))
            .AllowAnonymous().WithTags("Health").WithSummary("200 while the process runs.");

        app.MapGet("/health/ready", async (DatabaseConnections connections, MigrationRunner migrations, CancellationToken ct) =>
            {
                try
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                    timeout.CancelAfter(TimeSpan.FromSeconds(5));
                    var status = await migrations.StatusAsync(connections.Runtime, timeout.Token);
                    var pending = status.Where(m => !m.Applied).Select(m => $"{m.Version:D4}_{m.Name}").ToList();
                    return pending.Count == 0
                        ? Results.Ok(new { status = "ready", migrations = status.Count })
                        : Results.Json(new { status = "not-ready", reason = $"Migrations pending: {string.Join(", ", pending)}" }, statusCode: 503);
                }
                catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException)
                {
                    return Results.Json(new { status = "not-ready", reason = "The database does not answer." }, statusCode: 503);
                }
                catch (MigrationChecksumMismatchException e)
                {
                    return Results.Json(new { status = "not-ready", reason = e.Message }, statusCode: 503);
                }
            })
            .AllowAnonymous().WithTags("Health").WithSummary("200 when the database answers and migrations are current, else 503 with the reason.");
        return app;
    }
}
