using Switchboard.Platform.Observability;

namespace Switchboard.Features.Status;

/// <summary>The platform's status for superadmins: the same numbers as GET /api/v1/status, for a person.</summary>
public sealed class IndexModel(PlatformStatus status, TenantContext ctx) : AppPageModel
{
    /// <summary>A due item that has waited longer than this is late (the alert rules' warning threshold, docs/OPERATIONS.md).</summary>
    public static readonly TimeSpan Late = TimeSpan.FromMinutes(5);

    public PlatformStatusDto Current { get; private set; } = null!;
    public TenantSettings? Tenant => ctx.Tenant;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await status.ReadAsync(ct) is not Outcome<PlatformStatusDto>.Ok ok) return Forbid();
        Current = ok.Value;
        return Page();
    }

    public static string OutboxLabel(string queue) => queue switch
    {
        "webhook" => "Webhook deliveries",
        "email" => "Platform email",
        "outreach" => "Outreach email",
        _ => queue,
    };

    public static string OutboxHint(string queue) => queue switch
    {
        "webhook" => "Pending deliveries to tenants' webhook subscriptions",
        "email" => "Invitations, password resets and notices waiting for SMTP",
        "outreach" => "Campaign and sequence email waiting in tenants' mailboxes",
        _ => "",
    };

    /// <summary>"3 s", "4 min", "2 h 5 min": how long the oldest due item has waited.</summary>
    public static string Waited(double seconds)
    {
        var span = TimeSpan.FromSeconds(seconds);
        return span.TotalSeconds < 1 ? "—"
            : span.TotalMinutes < 1 ? $"{span.Seconds} s"
            : span.TotalHours < 1 ? $"{(int)span.TotalMinutes} min"
            : span.TotalDays < 1 ? $"{(int)span.TotalHours} h {span.Minutes} min"
            : $"{(int)span.TotalDays} d {span.Hours} h";
    }

    public static string SeenAgo(TimeSpan ago) => ago.TotalSeconds < 2 ? "just now" : Waited(ago.TotalSeconds) + " ago";

    public static (string Css, string Text) Health(QueueStatusDto queue) =>
        queue.OldestDueAgeSeconds >= Late.TotalSeconds ? ("badge-danger", "Late")
        : queue.Due > 0 ? ("badge-accent", "Working")
        : ("badge-success", "Clear");
}
