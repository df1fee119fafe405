namespace Switchboard.Features.Audit;

/// <summary>The answer of GET /api/v1/audit/verify: whether the tenant's chain is intact, how many rows were checked, where it breaks.</summary>
public sealed record AuditVerifyDto(bool Ok, long Checked, Guid? FirstBrokenId, long? FirstBrokenSeq, string? Problem, string? HeadHash);

public static class AuditApi
{
    public static IServiceCollection AddAudit(this IServiceCollection services)
    {
        services.AddJobHandler<AuditRetentionSweep>();
        services.AddJobHandler<AuditPurge>();
        services.AddDailyJobSchedule(AuditRetentionSweep.JobKind, AuditRetentionSweep.RunsAt);
        return services;
    }

    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        var audit = app.MapTenantApi("/audit", "Audit");

        audit.MapGet("/", async ([AsParameters] AuditQuery query, AuditQueries queries, CancellationToken ct) =>
                (await queries.ListAsync(query, ct)).ToResult(value => Results.Ok(value)))
            .Produces<PagedList<AuditEntryDto>>()
            .ProducesValidationProblem()
            .WithSummary("The tenant's audit log, newest first (admins). Filter by entity type and id, action, actor (actorType, actorId) and days (from, to: YYYY-MM-DD in the tenant's zone).");

        audit.MapGet("/export", async (HttpContext http, [AsParameters] AuditQuery query, string? format, AuditExport export, CancellationToken ct) =>
            {
                var planned = await export.PlanAsync(query, format);
                if (planned is not Outcome<AuditExportPlan>.Ok { Value: var plan }) return planned.ToProblem();
                await export.WriteAsync(http.Response, plan, ct);
                return Results.Empty;
            })
            .Produces(200, contentType: "text/csv")
            .Produces(200, contentType: "application/json")
            .ProducesValidationProblem()
            .WithSummary("Streams the audit rows the filters select, oldest first, as CSV or JSON (format=csv|json; admins; audited). Each row carries its chain number and hashes, so the file can be checked on its own (docs/ADMIN.md).");

        audit.MapGet("/sign-ins", async ([AsParameters] SignInQuery query, SignInLog log, CancellationToken ct) =>
                (await log.ListAsync(query, ct)).ToResult(value => Results.Ok(value)))
            .Produces<PagedList<SignInAttemptDto>>()
            .ProducesValidationProblem()
            .WithSummary("Sign-in attempts to the tenant, newest first (admins): when, the address, succeeded or not and why, IP and browser. " +
                         "Filter by result (succeeded|failed) and days (from, to). scope=platform (superadmins): attempts that belong to no tenant.");

        audit.MapGet("/verify", async (AuditChainVerifier verifier, TenantContext ctx, CancellationToken ct) =>
            {
                if (!AuditQueries.CanView(ctx)) return Problems.Forbidden("Only administrators can verify the audit log.");
                var report = await verifier.VerifyAsync(ctx.RequiredTenantId, ct);
                return Results.Ok(new AuditVerifyDto(report.Ok, report.Checked, report.FirstBrokenId, report.FirstBrokenSeq, report.Problem, report.HeadHash));
            })
            .Produces<AuditVerifyDto>()
            .WithSummary("Recomputes the tenant's audit hash chain from its rows and reports the first row that does not follow (admins).");

        audit.MapGet("/retention", async (AuditRetention retention, CancellationToken ct) =>
                (await retention.GetAsync(ct)).ToResult(value => Results.Ok(value)))
            .Produces<AuditRetentionDto>()
            .WithSummary("How long the tenant keeps its audit rows (admins): retentionDays, null for ever, at least minimumDays.");

        audit.MapPatch("/retention", async ([FromBody] AuditRetentionWrite patch, AuditRetention retention, CancellationToken ct) =>
                (await retention.UpdateAsync(patch, ct)).ToResult(value => Results.Ok(value)))
            .Accepts<AuditRetentionWrite>("application/merge-patch+json", "application/json")
            .Produces<AuditRetentionDto>()
            .ProducesValidationProblem()
            .WithSummary("Sets how long the tenant keeps its audit rows (admins; audited). A daily job deletes older rows.");

        return app;
    }
}
