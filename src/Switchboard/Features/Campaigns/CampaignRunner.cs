using Switchboard.Features.Ai.VoiceAgents;
using Switchboard.Features.Calls;
using Switchboard.Features.Contacts;
using Switchboard.Features.Leads;
using Switchboard.Features.Lists;
using Switchboard.Features.Outreach;
using Switchboard.Features.Telephony;
using Switchboard.Features.Views;

namespace Switchboard.Features.Campaigns;

/// <summary>
/// The <c>campaign.run</c> job (ADR 0061). First it materialises the audience, as the member who created the campaign
/// sees it, into one recipient row per person (<c>insert … on conflict do nothing</c> on the unique (campaign, person),
/// so a rerun after a crash adds nobody twice), and fixes the total. Then, batch by batch, each batch one transaction
/// that holds the campaign row locked and first checks it is still running:
/// email — skip (no address, suppressed) or enqueue one outbound email with key <c>campaign:{campaign}:{recipient}</c>;
/// call — skip (no number, do-not-call) or claim up to the concurrency limit and trigger the AI calls after the commit.
/// A paused or cancelled campaign stops the job between batches; resume starts a new run that carries on.
/// </summary>
// Wide on purpose: database, tenant, audit actor, clock and logger are ambient; a campaign reaches leads and contacts
// through their services (so their visibility rules apply), sends by email or by AI call (the voice agent's
// integration and outbound calls, with public callback URLs) and records its progress.
public sealed class CampaignRunner(SwitchboardDbContext db, TenantContext ctx, AuditActor actor, TimeProvider clock, CampaignProgress progress,
    OutboundEmails outbound, LeadService leads, ContactService contacts, VoiceAgentIntegrations voiceAgents, VoiceAgentOutboundCalls caller,
    PublicUrls urls, ILogger<CampaignRunner> logger) : IJobHandler
{
    public const int BatchSize = 100;

    public string Kind => CampaignService.JobKind;

    public async Task HandleAsync(Job job, CancellationToken ct)
    {
        var id = job.Read<CampaignJob>().CampaignId;
        var campaign = await db.Campaigns.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, ct);
        if (campaign is not { Status: CampaignStatuses.Running }) return;
        if (!campaign.Materialised)
        {
            await EnterAsCreatorAsync(campaign, ct);
            await MaterialiseAsync(campaign, ct);
        }
        if (campaign.Kind == CampaignKinds.Email) await FeedEmailsAsync(campaign, ct);
        else await DispatchCallsAsync(campaign, ct);
    }

    /// <summary>The audience as its creator sees it (their role and visibility); a superadmin's view when they are gone.</summary>
    private async Task EnterAsCreatorAsync(Campaign campaign, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().Where(u => u.Id == campaign.CreatedBy).Select(u => new { u.Email, u.IsActive, u.IsSuperadmin }).SingleOrDefaultAsync(ct);
        var membership = await db.Memberships.AsNoTracking().Where(m => m.UserId == campaign.CreatedBy).Select(m => new { m.Role, m.IsActive }).SingleOrDefaultAsync(ct);
        if (user is not { IsActive: true }) return;
        var role = membership is { IsActive: true } ? TenantRoles.MembershipRoleOrReadonly(membership.Role) : user.IsSuperadmin ? TenantRole.Superadmin : TenantRole.Readonly;
        await ctx.EnterAsync(campaign.CreatedBy, user.IsSuperadmin, ctx.Tenant, role);
        actor.SignedIn(campaign.CreatedBy, user.Email);
    }

    private async Task MaterialiseAsync(Campaign campaign, CancellationToken ct)
    {
        var ids = await AudienceAsync(campaign, ct);
        var now = clock.GetUtcNow();
        for (var start = 0; start < ids.Count; start += 1000)
        {
            var chunk = ids.Skip(start).Take(1000).ToArray();
            var recipientIds = chunk.Select(_ => Guid.CreateVersion7(now)).ToArray();
            await db.Database.ExecuteSqlAsync($"""
                insert into campaign_recipients (tenant_id, id, campaign_id, seq, related_type, related_id, status, created_at)
                select {campaign.TenantId}, r.id, {campaign.Id}, {start} + r.n, {campaign.Entity}, r.related_id, 'pending', {now}
                from unnest({recipientIds}::uuid[], {chunk}::uuid[]) with ordinality as r(id, related_id, n)
                on conflict (tenant_id, campaign_id, related_type, related_id) do nothing
                """, ct);
        }
        await using var tx = await db.BeginUnitOfWorkAsync(ct);
        await db.Database.ExecuteSqlAsync($"""
            update campaigns set total = (select count(*) from campaign_recipients where campaign_id = {campaign.Id}), materialised = true
            where id = {campaign.Id}
            """, ct);
        campaign.Total = ids.Count;
        campaign.Materialised = true;
        if (ids.Count == 0)
        {
            // Nobody to reach: completed at once, with its one progress event.
            await db.Database.ExecuteSqlAsync($"update campaigns set status = 'completed', finished_at = {now} where id = {campaign.Id} and status = 'running'", ct);
            await progress.WriteCurrentAsync(campaign.Id, ct);
            await db.SaveChangesAsync(ct);
        }
        await tx.CommitAsync(ct);
        logger.LogInformation("Campaign {CampaignId}: {Count} recipients", campaign.Id, ids.Count);
    }

    /// <summary>The ids of the leads or contacts the campaign reaches, in the view's order (or the listed order).</summary>
    private async Task<IReadOnlyList<Guid>> AudienceAsync(Campaign campaign, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        ViewDefinition? view = null;
        if (campaign.ViewId is { } viewId)
        {
            var stored = await db.Set<SavedView>().AsNoTracking().Where(v => v.Id == viewId).Select(v => v.Definition).SingleOrDefaultAsync(ct);
            if (stored is null) return [];
            view = ViewService.DefinitionOf(stored.RootElement);
        }
        var criteria = new ListCriteria(view?.Filters ?? [], null);
        IQueryable<Guid>? query;
        if (campaign.Entity == "lead")
            query = (await leads.SelectAsync(new LeadQuery(view?.Search, null, null, view?.Sort, null, null), null, criteria, errors, ct))?.Ordered.Select(l => l.Id);
        else
            query = (await contacts.SelectAsync(new ContactQuery(view?.Search, null, null, view?.Sort, null, null), criteria, errors, ct))?.Ordered.Select(c => c.Id);
        if (query is null)
        {
            logger.LogWarning("Campaign {CampaignId}: its view no longer applies: {Errors}", campaign.Id, string.Join(" ", errors.ToDictionary().SelectMany(e => e.Value)));
            return [];
        }
        if (campaign.RecordIds is { } listed)
        {
            var visible = (await query.Where(id => listed.Contains(id)).ToListAsync(ct)).ToHashSet();
            return listed.Where(visible.Contains).ToList();
        }
        return await query.Take(CampaignService.MaxRecipients).ToListAsync(ct);
    }

    /// <summary>Locks the campaign row for this transaction; its status as locked.</summary>
    private async Task<string?> LockAsync(Guid id, CancellationToken ct) =>
        (await db.Database.SqlQuery<string>($"select status as \"Value\" from campaigns where id = {id} for update").ToListAsync(ct)).SingleOrDefault();

    private async Task FeedEmailsAsync(Campaign campaign, CancellationToken ct)
    {
        while (true)
        {
            db.ChangeTracker.Clear();
            await using var tx = await db.BeginUnitOfWorkAsync(ct);
            if (await LockAsync(campaign.Id, ct) != CampaignStatuses.Running) return;
            var batch = await db.CampaignRecipients.Where(r => r.CampaignId == campaign.Id && r.Status == CampaignRecipientStatuses.Pending)
                .OrderBy(r => r.Seq).Take(BatchSize).ToListAsync(ct);
            if (batch.Count == 0) return;
            var people = await PeopleAsync(campaign.Entity, batch.Select(r => r.RelatedId).ToList(), ct);
            var addresses = people.Values.Select(p => p.Email).OfType<string>().ToList();
            var suppressed = (await db.Set<Suppression>().AsNoTracking().Where(s => addresses.Contains(s.Address)).Select(s => s.Address).ToListAsync(ct)).ToHashSet();
            var now = clock.GetUtcNow();
            foreach (var recipient in batch)
            {
                var person = people.GetValueOrDefault(recipient.RelatedId);
                var skip = person?.Email is not { } address ? CampaignSkipReasons.NoAddress
                    : suppressed.Contains(address) ? CampaignSkipReasons.Suppressed
                    : null;
                recipient.Address = person?.Email;
                if (await SkippedAsync(campaign, recipient, skip, now, ct)) continue;
                var email = await outbound.EnqueueAsync(new OutboundEmailRequest(
                    $"campaign:{campaign.Id}:{recipient.Id}", OutboundEmailSources.Campaign, campaign.Id, campaign.MailboxId!.Value, person!.Email!, person.Name,
                    campaign.Entity, recipient.RelatedId, campaign.TemplateId, campaign.Subject, campaign.TextBody, campaign.HtmlBody, now), ct);
                recipient.Status = CampaignRecipientStatuses.Queued;
                recipient.OutboundEmailId = email.Id;
            }
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
    }

    private async Task DispatchCallsAsync(Campaign campaign, CancellationToken ct)
    {
        var api = await voiceAgents.OutboundAsync(campaign.Provider!, ct);
        while (true)
        {
            db.ChangeTracker.Clear();
            var claimed = new List<(CampaignRecipient Recipient, string Phone)>();
            await using (var tx = await db.BeginUnitOfWorkAsync(ct))
            {
                if (await LockAsync(campaign.Id, ct) != CampaignStatuses.Running) return;
                var inFlight = await db.CampaignRecipients.CountAsync(r => r.CampaignId == campaign.Id && r.Status == CampaignRecipientStatuses.Queued, ct);
                var free = campaign.Concurrency - inFlight;
                if (free <= 0) return; // the next report lands, then starts the next call
                var batch = await db.CampaignRecipients.Where(r => r.CampaignId == campaign.Id && r.Status == CampaignRecipientStatuses.Pending)
                    .OrderBy(r => r.Seq).Take(free).ToListAsync(ct);
                if (batch.Count == 0) return;
                var people = await PeopleAsync(campaign.Entity, batch.Select(r => r.RelatedId).ToList(), ct);
                var phones = people.Values.Select(p => p.Phone).OfType<string>().ToList();
                var listed = (await db.DncNumbers.AsNoTracking().Where(d => phones.Contains(d.Phone)).Select(d => d.Phone).ToListAsync(ct)).ToHashSet();
                var now = clock.GetUtcNow();
                foreach (var recipient in batch)
                {
                    var person = people.GetValueOrDefault(recipient.RelatedId);
                    var skip = person?.Phone is not { } phone ? CampaignSkipReasons.NoAddress
                        : person.DoNotCall || listed.Contains(phone) ? CampaignSkipReasons.DoNotContact
                        : null;
                    recipient.Address = person?.Phone;
                    if (await SkippedAsync(campaign, recipient, skip, now, ct)) continue;
                    recipient.Status = CampaignRecipientStatuses.Queued;
                    claimed.Add((recipient, person!.Phone!));
                }
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
            }
            // The claims are committed before the provider is asked: a crash in between leaves a queued recipient
            // with no provider call id (listed, never called twice), rather than a call placed twice.
            foreach (var (recipient, phone) in claimed)
                await TriggerAsync(campaign, api, recipient, phone, ct);
        }
    }

    /// <summary>Marks the recipient skipped for the reason and counts it; false when there is no reason.</summary>
    private async Task<bool> SkippedAsync(Campaign campaign, CampaignRecipient recipient, string? reason, DateTimeOffset now, CancellationToken ct)
    {
        if (reason is null) return false;
        recipient.Status = CampaignRecipientStatuses.Skipped;
        recipient.SkipReason = reason;
        recipient.FinishedAt = now;
        await progress.CountAsync(campaign.Id, CampaignRecipientStatuses.Skipped, reason, ct);
        return true;
    }

    private async Task TriggerAsync(Campaign campaign, VoiceAgentOutbound? api, CampaignRecipient recipient, string phone, CancellationToken ct)
    {
        var metadata = new VoiceAgentMetadata
        {
            CampaignId = campaign.Id, RecipientId = recipient.Id,
            LeadId = recipient.RelatedType == "lead" ? recipient.RelatedId : null, ContactId = recipient.RelatedType == "contact" ? recipient.RelatedId : null,
        };
        var result = api is null
            ? new OutboundCallResult(null, "The voice-agent integration is no longer set up for outbound calls.")
            : await caller.TriggerAsync(api, new OutboundCallRequest(campaign.AgentId!, phone, campaign.Prompt, metadata,
                urls.Webhook(campaign.Provider!, campaign.TenantId, "completed"), $"campaign:{campaign.Id}:{recipient.Id}"), ct);
        db.ChangeTracker.Clear();
        if (result.ProviderCallId is { } callId)
        {
            await db.CampaignRecipients.Where(r => r.Id == recipient.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.ProviderCallId, callId), ct);
            return;
        }
        logger.LogWarning("Campaign {CampaignId}: the call to recipient {RecipientId} was not placed: {Error}", campaign.Id, recipient.Id, result.Error);
        await using var tx = await db.BeginUnitOfWorkAsync(ct);
        var now = clock.GetUtcNow();
        var failed = await db.CampaignRecipients.Where(r => r.Id == recipient.Id && r.Status == CampaignRecipientStatuses.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, CampaignRecipientStatuses.Failed).SetProperty(r => r.Error, result.Error)
                .SetProperty(r => r.FinishedAt, now), ct);
        if (failed == 1) await progress.CountAsync(campaign.Id, CampaignRecipientStatuses.Failed, null, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    private sealed record Person(string? Email, string? Phone, string? Name, bool DoNotCall);

    /// <summary>Each person's first email address and number, read without visibility rules (they were checked when materialised).</summary>
    private async Task<Dictionary<Guid, Person>> PeopleAsync(string entity, List<Guid> ids, CancellationToken ct)
    {
        if (entity == "lead")
            return (await db.Set<Lead>().AsNoTracking().Where(l => ids.Contains(l.Id))
                    .Select(l => new { l.Id, l.Email, l.Phone, l.FirstName, l.LastName, l.DoNotCall }).ToListAsync(ct))
                .ToDictionary(l => l.Id, l => new Person(Clean(l.Email), Clean(l.Phone), Name(l.FirstName, l.LastName), l.DoNotCall));
        return (await db.Set<Contact>().AsNoTracking().Where(c => ids.Contains(c.Id))
                .Select(c => new { c.Id, c.Emails, c.Phones, c.FirstName, c.LastName }).ToListAsync(ct))
            .ToDictionary(c => c.Id, c => new Person(Clean(c.Emails.FirstOrDefault()), Clean(c.Phones.FirstOrDefault()), Name(c.FirstName, c.LastName), false));
    }

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim().ToLowerInvariant();

    private static string? Name(string? first, string? last) => $"{first} {last}".Trim() is { Length: > 0 } name ? name : null;
}
