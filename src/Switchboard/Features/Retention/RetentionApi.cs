namespace Switchboard.Features.Retention;

/// <summary>Data retention per tenant (issue 15 §6, ADR 0066): the settings, the nightly job and its schedule.</summary>
public static class RetentionApi
{
    public static IServiceCollection AddRetention(this IServiceCollection services)
    {
        services.AddValidatedOptions<RetentionOptions>(RetentionOptions.Section);
        services.AddJobHandler<RetentionSweep>();
        services.AddJobHandler<RetentionApply>();
        services.AddDailyJobSchedule(RetentionSweep.JobKind, RetentionSweep.RunsAt);
        return services;
    }

    public static IEndpointRouteBuilder MapRetentionApi(this IEndpointRouteBuilder app)
    {
        var retention = app.MapTenantApi("/settings/retention", "Data retention");
        retention.MapGet("/", async (RetentionSettingsService service, CancellationToken ct) => (await service.GetAsync(ct)).ToResult(value => Results.Ok(value)))
            .Produces<RetentionSettingsDto>()
            .WithSummary("How many days the tenant keeps each class of data (administrators); null keeps it for ever. auditEntriesDays has a floor, auditMinimumDays.");
        retention.MapPut("/", async ([FromBody] RetentionSettingsWrite body, RetentionSettingsService service, CancellationToken ct) =>
                (await service.PutAsync(body, ct)).ToResult(value => Results.Ok(value)))
            .Produces<RetentionSettingsDto>()
            .ProducesValidationProblem()
            .WithSummary("Set the tenant's retention (administrators): every class at once, days from 1 to 36,500, absent or null for ever; auditEntriesDays from auditMinimumDays. The nightly run applies it.");
        return app;
    }
}
