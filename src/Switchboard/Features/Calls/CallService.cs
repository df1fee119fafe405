using Switchboard.Features.Calls.Compliance;
using Switchboard.Features.Contacts;
using Switchboard.Features.Leads;
using Switchboard.Features.Telephony;

namespace Switchboard.Features.Calls;

/// <summary>Placing calls and recording their outcome. Role rules follow leads: agents work their own leads' calls.</summary>
// Wide on purpose: placing a call checks compliance, presence and the provider, writes the call and its job,
// and stamps the lead — one use case whose parts each live in their own service.
[Scoped]
public sealed class CallService(
    SwitchboardDbContext db, TenantContext ctx, ComplianceGuard compliance, ProviderSettingsService providers, TelephonyProviders telephony,
    JobQueue jobs, WrapUpExpiry wrapUps, RealtimeEvents realtime, TimeProvider clock)
{
    public const string DialJob = "calls.dial";
    public const string HangUpJob = "calls.hangup";

    public static bool CanCall(TenantContext ctx) => ctx.Role is not (TenantRole.Readonly or null);

    public async Task<Outcome<PagedList<CallDto>>> ListAsync(CallQuery query, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var paging = PageRequest.Validate(query.Page, query.PageSize, errors);
        if (query.Status is { } s && !CallStatuses.All.Contains(s)) errors.Add("status", $"'{s}' is not a call status. Use one of: {string.Join(", ", CallStatuses.All)}.");
        if (query.Direction is { } d && d is not (CallDirections.Inbound or CallDirections.Outbound)) errors.Add("direction", "direction must be 'inbound' or 'outbound'.");
        if (!errors.IsValid) return new Outcome<PagedList<CallDto>>.Invalid(errors.ToDictionary());

        var calls = Visible().AsNoTracking();
        if (query.LeadId is { } leadId) calls = calls.Where(c => c.LeadId == leadId);
        if (query.ContactId is { } contactId) calls = calls.Where(c => c.ContactId == contactId);
        if (query.AgentId is { } agentId) calls = calls.Where(c => c.AgentId == agentId);
        if (query.Status is { } status) calls = calls.Where(c => c.Status == status);
        if (query.Direction is { } direction) calls = calls.Where(c => c.Direction == direction);
        if (query.From is { } from) calls = calls.Where(c => c.CreatedAt >= from);
        if (query.To is { } to) calls = calls.Where(c => c.CreatedAt < to);
        var page = await paging.ApplyAsync(db, calls.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id), ct);
        return page.Map(CallDto.Of);
    }

    public async Task<CallDto?> FindAsync(Guid id, CancellationToken ct) =>
        await Visible().AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, ct) is { } call ? CallDto.Of(call) : null;

    /// <summary>Click-to-call a lead, or a contact at its first phone: checks compliance, records the call and hands the dial to a background job.</summary>
    public async Task<Outcome<StartedCall>> StartAsync(StartCallRequest request, CancellationToken ct)
    {
        var errors = request.BindingErrors();
        if (!errors.IsValid) return new Outcome<StartedCall>.Invalid(errors.ToDictionary());
        if (request.LeadId.Value is null && request.ContactId.Value is { } contactId) return await StartContactCallAsync(contactId, ct);
        if (request.LeadId.Value is not { } leadId) return Invalid("leadId", "leadId is required.");
        var lead = await db.Leads.SingleOrDefaultAsync(l => l.Id == leadId, ct);
        if (lead is null || !RecordPermissions.CanView(ctx, lead.OwnerId)) return new Outcome<StartedCall>.NotFound();
        if (!CanCall(ctx) || !RecordPermissions.CanEdit(ctx, lead.OwnerId)) return new Outcome<StartedCall>.Forbidden("Your role cannot place calls to this lead.");
        if (lead.Phone is null) return Invalid("leadId", "This lead has no phone number.");

        if (await compliance.CheckAsync(lead, ct) is { } block) return new Outcome<StartedCall>.Conflict(block.Message) { Reason = block.Reason };
        return await PlaceAsync(lead.Phone, lead, null, "leadId", ct);
    }

    private async Task<Outcome<StartedCall>> StartContactCallAsync(Guid contactId, CancellationToken ct)
    {
        var contact = await db.Set<Contact>().AsNoTracking().SingleOrDefaultAsync(c => c.Id == contactId, ct);
        if (contact is null || !RecordPermissions.CanView(ctx, contact.OwnerId)) return new Outcome<StartedCall>.NotFound();
        if (!CanCall(ctx) || !RecordPermissions.CanEdit(ctx, contact.OwnerId)) return new Outcome<StartedCall>.Forbidden("Your role cannot place calls to this contact.");
        if (contact.Phones.FirstOrDefault() is not { } phone) return Invalid("contactId", "This contact has no phone number.");

        if (await compliance.CheckContactAsync(contact.Id, phone, ct) is { } block) return new Outcome<StartedCall>.Conflict(block.Message) { Reason = block.Reason };
        return await PlaceAsync(phone, null, contact.Id, "contactId", ct);
    }

    /// <summary>Records the call (queued) with its dial job and its wrap-up job, in one transaction.</summary>
    private async Task<Outcome<StartedCall>> PlaceAsync(string phone, Lead? lead, Guid? contactId, string field, CancellationToken ct)
    {
        var provider = await providers.ActiveAsync(ct);
        if (provider is null)
            return new Outcome<StartedCall>.Conflict("No telephony provider is active. An administrator can set one up under Settings → Telephony.") { Reason = "no-provider" };
        var agentPhone = await db.Memberships.Where(m => m.UserId == ctx.UserId).Select(m => m.Phone).SingleOrDefaultAsync(ct);
        if (telephony.Get(provider.Provider).Schema.RingsAgentPhone && agentPhone is null)
            return Invalid(field, "Add your own phone number to your profile first: click-to-call rings it, then dials the lead.");

        var now = clock.GetUtcNow();
        var call = new Call
        {
            Id = Guid.CreateVersion7(), Direction = CallDirections.Outbound, FromNumber = provider.Setting("callerId") ?? "",
            ToNumber = phone, LeadId = lead?.Id, ContactId = contactId, AgentId = ctx.UserId, Provider = provider.Provider, Status = CallStatuses.Queued,
        };
        db.Calls.Add(call);
        if (lead is not null) lead.LastCalledAt = now;
        await using var tx = await db.BeginUnitOfWorkAsync(ct);
        await db.SaveChangesAsync(ct);
        await jobs.EnqueueAsync(DialJob, new DialPayload(call.Id, agentPhone), ctx.TenantId, idempotencyKey: $"dial:{call.Id}", ct: ct);
        await wrapUps.ScheduleAsync(call, ctx.RequiredTenantId, ct);
        await db.SaveChangesAsync(ct);
        await realtime.PublishAsync(ctx.RequiredTenantId, "call.status", CallLifecycle.CallSummary(call), ct);
        await tx.CommitAsync(ct);
        return new StartedCall(call.Id, call.Status);
    }

    /// <summary>
    /// Records the outcome. A provider callback (typically the recording, just after the call ends) may update
    /// the call at the same moment; the outcome does not depend on it, so a lost race is retried on fresh rows.
    /// </summary>
    public async Task<Outcome<CallDto>> DispositionAsync(Guid id, DispositionRequest request, CallOutcomes outcomes, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var call = await Visible().SingleOrDefaultAsync(c => c.Id == id, ct);
            if (call is null) return new Outcome<CallDto>.NotFound();
            if (!CanCall(ctx)) return new Outcome<CallDto>.Forbidden("Your role cannot record call outcomes.");
            try
            {
                return await outcomes.RecordAsync(call, request, ct);
            }
            catch (DbUpdateConcurrencyException) when (attempt < 3)
            {
                db.ChangeTracker.Clear();
            }
            catch (DbUpdateConcurrencyException)
            {
                db.ChangeTracker.Clear();
                return new Outcome<CallDto>.Conflict("The call kept changing while the outcome was saved; save it again.");
            }
        }
    }

    /// <summary>Asks the provider to end a live call; the end state arrives through its callbacks.</summary>
    public async Task<Outcome<StartedCall>> HangUpAsync(Guid id, CancellationToken ct)
    {
        var call = await Visible().SingleOrDefaultAsync(c => c.Id == id, ct);
        if (call is null) return new Outcome<StartedCall>.NotFound();
        if (!CanCall(ctx)) return new Outcome<StartedCall>.Forbidden("Your role cannot end calls.");
        if (CallStatuses.IsTerminal(call.Status)) return new Outcome<StartedCall>.Conflict("The call has already ended.");
        await jobs.EnqueueNowAsync(HangUpJob, new HangUpPayload(call.Id), ctx.TenantId, $"hangup:{call.Id}", ct: ct);
        return new StartedCall(call.Id, call.Status);
    }

    /// <summary>Calls the caller may see: all of the tenant's, or for an agent the calls they made or on their leads.</summary>
    private IQueryable<Call> Visible() => CallVisibility.Visible(db, ctx);

    private static Outcome<StartedCall> Invalid(string field, string message) =>
        new Outcome<StartedCall>.Invalid(new Dictionary<string, string[]> { [field] = [message] });
}

public sealed record DialPayload(Guid CallId, string? AgentPhone);
