namespace Switchboard.Features.Mailboxes;

/// <summary>Mailboxes and two-way email (issue 14 §1, ADR 0056).</summary>
public static class MailboxesComposition
{
    public static IServiceCollection AddMailboxes(this IServiceCollection services)
    {
        services.AddValidatedOptions<MailboxOptions>(MailboxOptions.Section);
        services.AddJobHandler<MailboxReconcile>();
        services.AddJobHandler<MailboxReconcileSweep>();
        services.AddJobHandler<InboundEmailNotice>();
        services.AddHostedService<MailboxReconcileSchedule>();
        services.AddHostedService<MailboxWatcher>();
        return services;
    }

    public static IEndpointRouteBuilder MapMailboxes(this IEndpointRouteBuilder app) => app.MapMailboxesApi();
}
