namespace Switchboard.Platform.Observability;

public static class StatusApi
{
    public static IEndpointRouteBuilder MapStatusApi(this IEndpointRouteBuilder app)
    {
        app.MapPlatformApi("/status", "Status")
            .MapGet("/", async (PlatformStatus status, CancellationToken ct) => (await status.ReadAsync(ct)).ToResult(value => Results.Ok(value)))
            .RefuseApiKeys()
            .Produces<PlatformStatusDto>()
            .WithSummary("The platform's status (superadmin): build, migrations, job and outbox backlogs, replication lag, instances seen in the last minute.");
        return app;
    }
}
