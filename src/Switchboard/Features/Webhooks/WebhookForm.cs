namespace Switchboard.Features.Webhooks;

/// <summary>
/// The form of Settings → Webhooks (create) and of a subscription's page (edit): posted as a <see cref="WebhookWrite"/>
/// to <see cref="WebhookService"/>, so the page and the API share one rule set.
/// </summary>
public sealed class WebhookForm
{
    public string? Url { get; set; }
    public List<string> Events { get; set; } = [];
    public string? Description { get; set; }
    /// <summary>API field names separated by commas (or lines); blank for every update.</summary>
    public string? ChangedFields { get; set; }
    public bool Enabled { get; set; } = true;

    public static WebhookForm Of(WebhookDto hook) => new()
    {
        Url = hook.Url, Events = [.. hook.Events], Description = hook.Description,
        ChangedFields = hook.ChangedFields is { } fields ? string.Join(", ", fields) : null, Enabled = hook.Enabled,
    };

    public WebhookWrite ToWrite(bool includeEnabled) => new()
    {
        Url = Optional.Text(Url),
        Events = Optional.Of<IReadOnlyList<string>?>(Events.Where(e => !string.IsNullOrWhiteSpace(e)).ToList()),
        Description = Optional.Text(Description),
        ChangedFields = Optional.Of<IReadOnlyList<string>?>(
            (ChangedFields ?? "").Split([',', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList()),
        Enabled = includeEnabled ? Optional.Of<bool?>(Enabled) : Optional<bool?>.Unset,
    };

    /// <summary>A field of the service's errors as the form labels it.</summary>
    public static string Label(string field) => field switch
    {
        "url" => "URL",
        "events" => "Events",
        "description" => "Description",
        "changedFields" => "Only when these fields change",
        "enabled" => "Enabled",
        "since" => "Replay everything since",
        "status" => "Status",
        _ => field,
    };

    /// <summary>The error box's lines: "URL: Url is required.", one per message.</summary>
    public static IReadOnlyList<string> Problems(IDictionary<string, string[]> errors) =>
        errors.SelectMany(e => e.Value.Select(m => $"{Label(e.Key)}: {m}")).ToList();

    /// <summary>How an event list reads in the table: "All events" for *, else the types.</summary>
    public static string EventsShown(IReadOnlyList<string> events) =>
        events.Contains(WebhookEventTypes.All) ? "All events" : string.Join(", ", events);
}

/// <summary>The model of _WebhookFields: the form, the errors to mark, and whether it edits (shows Enabled).</summary>
public sealed record WebhookFieldsModel(WebhookForm Form, IDictionary<string, string[]> Errors, bool Edit);

/// <summary>The model of _DeliveryStatus: a delivery's status badge, with the receiver's HTTP status when there was one.</summary>
public sealed record DeliveryStatusModel(string Status, int? ResponseStatus);

/// <summary>The model of _NewSecret: the card's title, the secret, and what to do with it.</summary>
public sealed record NewSecretModel(string Title, string Secret, string Text);
