namespace Switchboard.Features.Campaigns;

/// <summary>A campaign as the API returns it.</summary>
public sealed record CampaignDto(
    Guid Id, string Name, string Kind, string Status, CampaignAudienceDto Audience,
    Guid? MailboxId, Guid? TemplateId, string? Subject, string? TextBody, string? HtmlBody,
    string? Provider, string? AgentId, string? Prompt, int Concurrency,
    int Total, int Processed, int Sent, int Failed, int Skipped, CampaignSkipsDto SkippedReasons,
    Guid CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, int Version)
{
    /// <summary>Processed as a whole percentage of total (100 when there is nobody to reach and the campaign is done).</summary>
    public int Percent => Total == 0 ? (Status == CampaignStatuses.Completed ? 100 : 0) : (int)Math.Floor(100.0 * Processed / Total);
}

/// <summary>Who a campaign reaches: a saved view of leads or contacts, or the listed records.</summary>
public sealed record CampaignAudienceDto(string Entity, Guid? ViewId, IReadOnlyList<Guid>? Ids);

public sealed record CampaignSkipsDto(int NoAddress, int Suppressed, int DoNotContact);

public sealed record CampaignList(IReadOnlyList<CampaignDto> Items);

public sealed record CampaignRecipientDto(
    Guid Id, string RelatedType, Guid RelatedId, string Status, string? SkipReason, string? Address,
    Guid? OutboundEmailId, string? ProviderCallId, Guid? CallId, string? Error, DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt);

public sealed record CampaignRecipientList(IReadOnlyList<CampaignRecipientDto> Items);

/// <summary>The audience of a campaign: viewId (a saved lead or contact view) or entity and ids (a list selection).</summary>
public sealed record CampaignAudienceWrite
{
    public string? Entity { get; init; }
    public Guid? ViewId { get; init; }
    public IReadOnlyList<Guid>? Ids { get; init; }
}

/// <summary>The body of POST /api/v1/campaigns and of PATCH (a merge patch, while the campaign is a draft).</summary>
public sealed record CampaignWrite : RequestBody
{
    public Optional<string?> Name { get; init; }
    /// <summary>email or call; fixed once created.</summary>
    public Optional<string?> Kind { get; init; }
    public Optional<CampaignAudienceWrite?> Audience { get; init; }
    public Optional<Guid?> MailboxId { get; init; }
    public Optional<Guid?> TemplateId { get; init; }
    public Optional<string?> Subject { get; init; }
    public Optional<string?> TextBody { get; init; }
    public Optional<string?> HtmlBody { get; init; }
    /// <summary>callfluent or thoughtly: one of the tenant's voice-agent integrations with an outbound API configured.</summary>
    public Optional<string?> Provider { get; init; }
    public Optional<string?> AgentId { get; init; }
    public Optional<string?> Prompt { get; init; }
    /// <summary>Call campaigns: how many AI calls may be in progress at once (1–100).</summary>
    public Optional<int?> Concurrency { get; init; }
}

/// <summary>The body of a campaign.progress webhook event.</summary>
public sealed record CampaignProgressEvent(Guid CampaignId, string Name, string Kind, string Status, int Total, int Processed, int Sent, int Failed, int Skipped);
