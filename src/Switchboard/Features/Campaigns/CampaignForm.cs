using Switchboard.Features.Ai.VoiceAgents;

namespace Switchboard.Features.Campaigns;

/// <summary>The create form on the Campaigns page, read into the API's <see cref="CampaignWrite"/>.</summary>
public sealed class CampaignForm
{
    public string? Name { get; set; }
    public string Kind { get; set; } = CampaignKinds.Email;
    public Guid? ViewId { get; set; }
    public Guid? MailboxId { get; set; }
    public Guid? TemplateId { get; set; }
    public string? Subject { get; set; }
    public string? TextBody { get; set; }
    public string? Provider { get; set; }
    public string? AgentId { get; set; }
    public string? Prompt { get; set; }
    public int Concurrency { get; set; } = 1;

    public CampaignWrite ToWrite()
    {
        var email = Kind == CampaignKinds.Email;
        return new CampaignWrite
        {
            Name = Optional.Text(Name),
            Kind = Optional.Text(Kind),
            Audience = ViewId is { } view ? Optional.Of<CampaignAudienceWrite?>(new CampaignAudienceWrite { ViewId = view }) : Optional.Of<CampaignAudienceWrite?>(null),
            MailboxId = email ? Optional.Of(MailboxId) : default,
            TemplateId = email && TemplateId is not null ? Optional.Of(TemplateId) : default,
            Subject = email && TemplateId is null ? Optional.Text(Subject) : default,
            TextBody = email && TemplateId is null ? Optional.Text(TextBody) : default,
            Provider = email ? default : Optional.Text(Provider),
            AgentId = email ? default : Optional.Text(AgentId),
            Prompt = email ? default : Optional.Text(Prompt),
            Concurrency = email ? default : Optional.Of<int?>(Concurrency),
        };
    }

    public static IReadOnlyList<(string Value, string Label)> Providers => VoiceAgentProviders.All.Select(p => (p, VoiceAgentProviders.Label(p))).ToList();
}
