namespace Switchboard.Features.Webhooks;

/// <summary>The event types a subscription may name, and <c>*</c> for all of them.</summary>
public static class WebhookEventTypes
{
    public const string All = "*";

    public static readonly IReadOnlyList<string> Known =
    [
        "lead.created", "lead.updated", "lead.deleted",
        "contact.created", "contact.updated", "contact.deleted",
        "account.created", "account.updated", "account.deleted",
        "opportunity.created", "opportunity.updated", "opportunity.deleted", "opportunity.stage_changed",
        "activity.created", "call.completed", "call.analyzed", "ticket.created", "campaign.progress",
    ];
}

/// <summary>A subscription as the API returns it: never its secret.</summary>
public sealed record WebhookDto(Guid Id, string Url, string? Description, IReadOnlyList<string> Events, IReadOnlyList<string>? ChangedFields,
    bool Enabled, string? DisabledReason, DateTimeOffset? FailingSince, DateTimeOffset? PreviousSecretExpiresAt, DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt, int Version)
{
    public static WebhookDto Of(WebhookSubscription s) => new(s.Id, s.Url, s.Description, s.Events, s.ChangedFields, s.Enabled, s.DisabledReason,
        s.FailingSince, s.PreviousSecretExpiresAt, s.CreatedAt, s.UpdatedAt, s.Version);
}

/// <summary>The answer to POST /api/v1/webhooks and to rotate-secret: the only times the secret is shown.</summary>
public sealed record WebhookSecret(Guid Id, string Secret);

public sealed record WebhookList(IReadOnlyList<WebhookDto> Items);

/// <summary>One attempt (or the pending next one) as the delivery log shows it.</summary>
public sealed record WebhookDeliveryDto(Guid Id, Guid EventId, string Event, int Attempt, string Status, int? ResponseStatus, string? ResponseBody,
    string? Error, int? DurationMs, DateTimeOffset CreatedAt, DateTimeOffset? AttemptedAt, DateTimeOffset? NextAttemptAt);

public sealed record WebhookDeliveryList(IReadOnlyList<WebhookDeliveryDto> Items);

public sealed record WebhookReplayed(int Replayed);

/// <summary>A subscription's newest delivery row, for the Webhooks page's list.</summary>
public sealed record WebhookLastDelivery(Guid SubscriptionId, string Status, int? ResponseStatus, DateTimeOffset At);

/// <summary>The body of POST /api/v1/webhooks and of PATCH (a merge patch of it).</summary>
public sealed record WebhookWrite : RequestBody
{
    /// <summary>https:// (http://localhost only where the server allows private network URLs).</summary>
    public Optional<string?> Url { get; init; }
    /// <summary>Event types (see the API guide), or ["*"] for every one.</summary>
    public Optional<IReadOnlyList<string>?> Events { get; init; }
    public Optional<string?> Description { get; init; }
    /// <summary>Only updates that changed one of these fields (API names, e.g. status) are sent; created and deleted events always are.</summary>
    public Optional<IReadOnlyList<string>?> ChangedFields { get; init; }
    public Optional<bool?> Enabled { get; init; }
}

/// <summary>The body of POST /api/v1/webhooks/{id}/replay: every event since this instant is sent again.</summary>
public sealed record WebhookReplaySince : RequestBody
{
    public Optional<DateTimeOffset?> Since { get; init; }
}
