using Switchboard.Features.Ai.VoiceAgents;
using Switchboard.Features.Mailboxes;
using Switchboard.Features.Outreach;
using Switchboard.Features.Views;

namespace Switchboard.Features.Campaigns;

/// <summary>
/// The campaign use cases (ADR 0061), for managers and administrators: drafts (create, edit), start, pause, resume,
/// cancel, and the recipients. Starting checks the draft whole and hands it to the <c>campaign.run</c> job
/// (<see cref="CampaignRunner"/>), which writes the recipients and enqueues their emails or triggers their AI calls.
/// </summary>
[Scoped]
public sealed class CampaignService(SwitchboardDbContext db, TenantContext ctx, TimeProvider clock, JobQueue jobs, CampaignProgress progress,
    VoiceAgentIntegrations voiceAgents)
{
    public const string JobKind = "campaign.run";
    public const int MaxIds = 10_000;
    public const int MaxRecipients = 100_000;

    /// <summary>Where a paused campaign's queued emails wait: the sender claims nothing whose not_before is in the future.</summary>
    public static readonly DateTimeOffset PausedUntil = new(9999, 12, 31, 0, 0, 0, TimeSpan.Zero);

    public static bool CanManage(TenantContext ctx) => ctx.Role is TenantRole.Manager or TenantRole.Admin or TenantRole.Superadmin;

    private const string Refused = "Only managers and administrators can manage campaigns.";

    public async Task<Outcome<CampaignList>> ListAsync(CancellationToken ct)
    {
        if (!CanManage(ctx)) return new Outcome<CampaignList>.Forbidden(Refused);
        var rows = await db.Campaigns.AsNoTracking().OrderByDescending(c => c.CreatedAt).Take(500).ToListAsync(ct);
        return new CampaignList(rows.Select(ToDto).ToList());
    }

    public async Task<Outcome<CampaignDto>> GetAsync(Guid id, CancellationToken ct)
    {
        if (!CanManage(ctx)) return new Outcome<CampaignDto>.Forbidden(Refused);
        return await db.Campaigns.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, ct) is { } c ? ToDto(c) : new Outcome<CampaignDto>.NotFound();
    }

    public async Task<Outcome<CampaignDto>> CreateAsync(CampaignWrite body, CancellationToken ct)
    {
        if (!CanManage(ctx)) return new Outcome<CampaignDto>.Forbidden(Refused);
        var now = clock.GetUtcNow();
        var campaign = new Campaign
        {
            TenantId = ctx.RequiredTenantId, Id = Guid.CreateVersion7(), Name = "", Kind = "", Entity = "",
            CreatedBy = ctx.RequiredUserId, CreatedAt = now, UpdatedAt = now,
        };
        var errors = body.BindingErrors();
        if (!body.Kind.IsSet || body.Kind.Value is null) errors.Add("kind", "kind is required: email or call.");
        if (!body.Name.IsSet) errors.Add("name", "name is required.");
        if (!body.Audience.IsSet) errors.Add("audience", "audience is required: {viewId} or {entity, ids}.");
        await ApplyAsync(campaign, body, errors, ct);
        if (!errors.IsValid) return new Outcome<CampaignDto>.Invalid(errors.ToDictionary());
        db.Campaigns.Add(campaign);
        await db.SaveChangesAsync(ct);
        return ToDto(campaign);
    }

    public async Task<Outcome<CampaignDto>> UpdateAsync(Guid id, CampaignWrite patch, CancellationToken ct)
    {
        if (!CanManage(ctx)) return new Outcome<CampaignDto>.Forbidden(Refused);
        if (await db.Campaigns.SingleOrDefaultAsync(c => c.Id == id, ct) is not { } campaign) return new Outcome<CampaignDto>.NotFound();
        if (campaign.Status != CampaignStatuses.Draft) return new Outcome<CampaignDto>.Conflict($"The campaign is {campaign.Status}; only a draft can be edited.");
        var errors = patch.BindingErrors();
        if (patch.Kind.IsSet && patch.Kind.Value != campaign.Kind) errors.Add("kind", "kind is fixed once the campaign is created.");
        await ApplyAsync(campaign, patch, errors, ct);
        if (!errors.IsValid) return new Outcome<CampaignDto>.Invalid(errors.ToDictionary());
        campaign.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return ToDto(campaign);
    }

    /// <summary>draft → running: the job materialises the recipients and sends or calls.</summary>
    public async Task<Outcome<CampaignDto>> StartAsync(Guid id, CancellationToken ct)
    {
        if (!CanManage(ctx)) return new Outcome<CampaignDto>.Forbidden(Refused);
        if (await db.Campaigns.SingleOrDefaultAsync(c => c.Id == id, ct) is not { } campaign) return new Outcome<CampaignDto>.NotFound();
        if (campaign.Status != CampaignStatuses.Draft) return new Outcome<CampaignDto>.Conflict($"The campaign is {campaign.Status}; only a draft can be started.");
        // The draft is checked again whole: a mailbox, template or integration may have gone since it was saved.
        var errors = new ValidationErrors();
        await ValidateAsync(campaign, errors, ct);
        if (!errors.IsValid) return new Outcome<CampaignDto>.Invalid(errors.ToDictionary());
        campaign.Status = CampaignStatuses.Running;
        campaign.StartedAt = clock.GetUtcNow();
        campaign.Run++;
        await jobs.EnqueueAsync(JobKind, new CampaignJob(campaign.Id), ctx.RequiredTenantId, $"campaign:{campaign.Id}:run:{campaign.Run}", maxAttempts: 5, ct: ct);
        await db.SaveChangesAsync(ct);
        return ToDto(campaign);
    }

    /// <summary>
    /// running → paused: the runner stops between batches, and the campaign's queued emails get a not_before the
    /// sender never reaches (an email the sender has already claimed is sent; its outcome still counts).
    /// </summary>
    public Task<Outcome<CampaignDto>> PauseAsync(Guid id, CancellationToken ct) =>
        TransitionAsync(id, [CampaignStatuses.Running], CampaignStatuses.Paused, async campaign =>
        {
            await db.Database.ExecuteSqlAsync($"""
                update outreach_emails set not_before = {PausedUntil}
                where source = 'campaign' and source_id = {campaign.Id} and status = 'queued'
                """, ct);
        }, ct);

    /// <summary>paused → running: the queued emails are due again and the runner carries on where it stopped.</summary>
    public Task<Outcome<CampaignDto>> ResumeAsync(Guid id, CancellationToken ct) =>
        TransitionAsync(id, [CampaignStatuses.Paused], CampaignStatuses.Running, async campaign =>
        {
            var now = clock.GetUtcNow();
            await db.Database.ExecuteSqlAsync($"""
                update outreach_emails set not_before = {now}
                where source = 'campaign' and source_id = {campaign.Id} and status = 'queued'
                """, ct);
            campaign.Run++;
            await jobs.EnqueueAsync(JobKind, new CampaignJob(campaign.Id), ctx.RequiredTenantId, $"campaign:{campaign.Id}:run:{campaign.Run}", maxAttempts: 5, ct: ct);
        }, ct);

    /// <summary>
    /// draft, running or paused → cancelled: the campaign's queued emails are cancelled and their recipients, like
    /// those never reached, marked cancelled; the counters stay as they are. AI calls already triggered cannot be
    /// called back: their reports still count when they come.
    /// </summary>
    public Task<Outcome<CampaignDto>> CancelAsync(Guid id, CancellationToken ct) =>
        TransitionAsync(id, [CampaignStatuses.Draft, CampaignStatuses.Running, CampaignStatuses.Paused], CampaignStatuses.Cancelled, async campaign =>
        {
            var now = clock.GetUtcNow();
            await db.Database.ExecuteSqlAsync($"""
                with cancelled as (
                  update outreach_emails set status = 'cancelled'
                  where source = 'campaign' and source_id = {campaign.Id} and status = 'queued'
                  returning id)
                update campaign_recipients set status = 'cancelled', finished_at = {now}
                where campaign_id = {campaign.Id}
                  and (status = 'pending' or (status = 'queued' and outbound_email_id in (select id from cancelled)))
                """, ct);
            campaign.FinishedAt = now;
        }, ct, writeEvent: true);

    private async Task<Outcome<CampaignDto>> TransitionAsync(Guid id, string[] from, string to, Func<Campaign, Task> apply, CancellationToken ct, bool writeEvent = false)
    {
        if (!CanManage(ctx)) return new Outcome<CampaignDto>.Forbidden(Refused);
        await using var tx = await db.BeginUnitOfWorkAsync(ct);
        // Locked: a runner batch or an outcome counted meanwhile waits for this change, and sees it.
        var locked = await db.Campaigns.FromSql($"select * from campaigns where id = {id} for update").AsNoTracking().AnyAsync(ct);
        if (!locked) return new Outcome<CampaignDto>.NotFound();
        var campaign = await db.Campaigns.SingleAsync(c => c.Id == id, ct);
        if (!from.Contains(campaign.Status))
            return new Outcome<CampaignDto>.Conflict($"The campaign is {campaign.Status}; it cannot be {(to == CampaignStatuses.Running ? "resumed" : to)} now.");
        campaign.Status = to;
        campaign.UpdatedAt = clock.GetUtcNow();
        await apply(campaign);
        await db.SaveChangesAsync(ct);
        if (writeEvent)
        {
            await progress.WriteCurrentAsync(campaign.Id, ct);
            await db.SaveChangesAsync(ct);
        }
        await tx.CommitAsync(ct);
        await db.Entry(campaign).ReloadAsync(ct);
        return ToDto(campaign);
    }

    public async Task<Outcome<CampaignRecipientList>> RecipientsAsync(Guid id, string? status, CancellationToken ct)
    {
        if (!CanManage(ctx)) return new Outcome<CampaignRecipientList>.Forbidden(Refused);
        if (!await db.Campaigns.AnyAsync(c => c.Id == id, ct)) return new Outcome<CampaignRecipientList>.NotFound();
        if (status is not null && !CampaignRecipientStatuses.All.Contains(status))
            return new Outcome<CampaignRecipientList>.Invalid(new Dictionary<string, string[]> { ["status"] = [$"status must be one of: {string.Join(", ", CampaignRecipientStatuses.All)}."] });
        var query = db.CampaignRecipients.AsNoTracking().Where(r => r.CampaignId == id);
        if (status is not null) query = query.Where(r => r.Status == status);
        var rows = await query.OrderBy(r => r.Seq).Take(1000).ToListAsync(ct);
        return new CampaignRecipientList(rows.Select(r => new CampaignRecipientDto(r.Id, r.RelatedType, r.RelatedId, r.Status, r.SkipReason, r.Address,
            r.OutboundEmailId, r.ProviderCallId, r.CallId, r.Error, r.CreatedAt, r.FinishedAt)).ToList());
    }

    /// <summary>Applies a body (create or merge patch) to a draft, then checks the draft as a whole.</summary>
    private async Task ApplyAsync(Campaign c, CampaignWrite body, ValidationErrors errors, CancellationToken ct)
    {
        if (body.Name.IsSet) c.Name = body.Name.Value?.Trim() ?? "";
        if (body.Kind.IsSet && c.Kind == "") c.Kind = body.Kind.Value?.Trim() ?? "";
        if (body.Audience.IsSet)
        {
            var audience = body.Audience.Value;
            if (audience is null) errors.Add("audience", "audience is required: {viewId} or {entity, ids}.");
            else if (audience.ViewId is { } viewId)
            {
                if (audience.Ids is not null) errors.Add("audience", "Send audience.viewId or audience.ids, not both.");
                var view = await db.Set<SavedView>().AsNoTracking().Where(v => v.Id == viewId && (v.Shared || v.OwnerId == ctx.UserId))
                    .Select(v => new { v.Entity }).SingleOrDefaultAsync(ct);
                if (view is null) errors.Add("audience.viewId", "That saved view does not exist or is not visible to you.");
                else if (view.Entity is not ("lead" or "contact")) errors.Add("audience.viewId", "Campaigns reach leads or contacts: choose a lead or contact view.");
                else if (audience.Entity is { } e && e != view.Entity) errors.Add("audience.entity", $"The view is a {view.Entity} view.");
                else { c.Entity = view.Entity; c.ViewId = viewId; c.RecordIds = null; }
            }
            else if (audience.Ids is { } ids)
            {
                if (audience.Entity is not ("lead" or "contact")) errors.Add("audience.entity", "audience.entity must be lead or contact.");
                else if (ids.Count == 0) errors.Add("audience.ids", "List at least one record.");
                else if (ids.Count > MaxIds) errors.Add("audience.ids", $"At most {MaxIds:N0} ids; use a saved view for larger audiences.");
                else { c.Entity = audience.Entity; c.RecordIds = [.. ids.Distinct()]; c.ViewId = null; }
            }
            else errors.Add("audience", "audience needs viewId (a saved view) or entity and ids (a list selection).");
        }
        if (body.MailboxId.IsSet) c.MailboxId = body.MailboxId.Value;
        if (body.TemplateId.IsSet) c.TemplateId = body.TemplateId.Value;
        if (body.Subject.IsSet) c.Subject = Blank(body.Subject.Value);
        if (body.TextBody.IsSet) c.TextBody = Blank(body.TextBody.Value);
        if (body.HtmlBody.IsSet) c.HtmlBody = Blank(body.HtmlBody.Value);
        if (body.Provider.IsSet) c.Provider = Blank(body.Provider.Value);
        if (body.AgentId.IsSet) c.AgentId = Blank(body.AgentId.Value);
        if (body.Prompt.IsSet) c.Prompt = Blank(body.Prompt.Value);
        if (body.Concurrency.IsSet)
        {
            if (body.Concurrency.Value is not (>= 1 and <= 100)) errors.Add("concurrency", "concurrency must be 1 to 100.");
            else c.Concurrency = body.Concurrency.Value.Value;
        }
        if (errors.IsValid) await ValidateAsync(c, errors, ct);
    }

    private async Task ValidateAsync(Campaign c, ValidationErrors errors, CancellationToken ct)
    {
        if (c.Name.Length is 0 or > 200) errors.Add("name", "name is required (at most 200 characters).");
        if (!CampaignKinds.All.Contains(c.Kind)) { errors.Add("kind", "kind must be email or call."); return; }
        if (c.Entity == "") errors.Add("audience", "audience is required: {viewId} or {entity, ids}.");
        if (c.Kind == CampaignKinds.Email)
        {
            if (c.MailboxId is not { } mailbox) errors.Add("mailboxId", "Choose the mailbox the campaign sends from.");
            else if (!await db.Set<Mailbox>().AnyAsync(m => m.Id == mailbox && m.IsActive, ct)) errors.Add("mailboxId", "That mailbox does not exist or is not active.");
            if (c.TemplateId is { } template)
            {
                if (!await db.Set<MailTemplate>().AnyAsync(t => t.Id == template, ct)) errors.Add("templateId", "That email template does not exist.");
                if (c.Subject is not null || c.TextBody is not null || c.HtmlBody is not null) errors.Add("templateId", "Send a template, or a subject and body, not both.");
            }
            else
            {
                if (c.Subject is not { Length: <= 500 }) errors.Add("subject", "subject is required without a template (at most 500 characters).");
                if (c.TextBody is null && c.HtmlBody is null) errors.Add("textBody", "textBody or htmlBody is required without a template.");
            }
            if (c.Provider is not null || c.AgentId is not null || c.Prompt is not null) errors.Add("provider", "An email campaign has no voice agent.");
        }
        else
        {
            if (c.Provider is not { } provider || !VoiceAgentProviders.All.Contains(provider)) errors.Add("provider", $"provider must be one of: {string.Join(", ", VoiceAgentProviders.All)}.");
            else if (await voiceAgents.OutboundAsync(provider, ct) is null)
                errors.Add("provider", $"{VoiceAgentProviders.Label(provider)} is not connected with an outbound API (Settings → AI voice agents).");
            if (c.AgentId is not { Length: <= 200 }) errors.Add("agentId", "agentId is required (at most 200 characters).");
            if (c.Prompt is { Length: > 10_000 }) errors.Add("prompt", "The prompt can be at most 10,000 characters.");
            if (c.MailboxId is not null || c.TemplateId is not null || c.Subject is not null) errors.Add("mailboxId", "A call campaign sends no email.");
        }
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    public static CampaignDto ToDto(Campaign c) => new(
        c.Id, c.Name, c.Kind, c.Status, new CampaignAudienceDto(c.Entity, c.ViewId, c.RecordIds),
        c.MailboxId, c.TemplateId, c.Subject, c.TextBody, c.HtmlBody, c.Provider, c.AgentId, c.Prompt, c.Concurrency,
        c.Total, c.Processed, c.Sent, c.Failed, c.Skipped, new CampaignSkipsDto(c.SkippedNoAddress, c.SkippedSuppressed, c.SkippedDoNotContact),
        c.CreatedBy, c.CreatedAt, c.UpdatedAt, c.StartedAt, c.FinishedAt, c.Version);
}

/// <summary>The <c>campaign.run</c> job's payload.</summary>
public sealed record CampaignJob(Guid CampaignId);
