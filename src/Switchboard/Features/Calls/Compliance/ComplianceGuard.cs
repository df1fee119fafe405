using Switchboard.Features.Leads;

namespace Switchboard.Features.Calls.Compliance;

/// <summary>Why a dial was refused: reason is one of dnc, calling-hours, max-attempts.</summary>
public sealed record ComplianceBlock(string Reason, string Message);

/// <summary>
/// Checked on the server at every dial, whoever asks (click-to-call, the dialer, the API): the tenant's DNC
/// list and the lead's own flag, calling hours in the lead's local time, and attempts per lead per day.
/// Every block is audited.
/// </summary>
[Scoped]
public sealed class ComplianceGuard(SwitchboardDbContext db, TenantContext ctx, CallingSettingsService settings, AuditLog audit, TimeProvider clock)
{
    /// <summary>Whom a dial is for: a lead (its flag, zone and attempts) or a contact (its number's zone and attempts).</summary>
    private sealed record Target(string Type, Guid Id, string? Phone, string? TimeZone, bool DoNotCall);

    public Task<ComplianceBlock?> CheckAsync(Lead lead, CancellationToken ct) =>
        CheckAsync(new Target("lead", lead.Id, lead.Phone, lead.TimeZone, lead.DoNotCall), ct);

    public Task<ComplianceBlock?> CheckContactAsync(Guid contactId, string phone, CancellationToken ct) =>
        CheckAsync(new Target("contact", contactId, phone, null, false), ct);

    private async Task<ComplianceBlock?> CheckAsync(Target target, CancellationToken ct)
    {
        var block = await EvaluateAsync(target, ct);
        if (block is not null)
            await audit.WriteAsync(AuditActions.CallBlocked, ctx.TenantId, target.Type, target.Id.ToString(), new { reason = block.Reason, message = block.Message, phone = target.Phone }, ct);
        return block;
    }

    private async Task<ComplianceBlock?> EvaluateAsync(Target lead, CancellationToken ct)
    {
        if (lead.DoNotCall)
            return new("dnc", "This lead is marked do-not-call.");
        if (lead.Phone is not null && await db.DncNumbers.AnyAsync(d => d.Phone == lead.Phone, ct))
            return new("dnc", $"{lead.Phone} is on the do-not-call list.");

        var policy = await settings.PolicyAsync(ct);
        var tenantZone = ctx.Tenant?.TimeZone ?? "UTC";
        var now = clock.GetUtcNow();
        var hours = CallingHours.EvaluateIn(policy.Window, LeadTimeZones.ResolveTimeZones(lead.TimeZone, lead.Phone), now, tenantZone);
        if (!hours.IsAllowed) return new("calling-hours", hours.Message);

        var zone = Platform.TimeZones.FindOrUtc(tenantZone);
        var dayStart = Platform.TimeZones.StartOfDayUtc(Platform.TimeZones.Today(now, zone), zone);
        var calls = db.Calls.Where(c => c.Direction == CallDirections.Outbound && c.CreatedAt >= dayStart);
        var attempts = await (lead.Type == "lead" ? calls.Where(c => c.LeadId == lead.Id) : calls.Where(c => c.ContactId == lead.Id)).CountAsync(ct);
        if (attempts >= policy.MaxAttemptsPerDay)
            return new("max-attempts", $"This {lead.Type} was already called {attempts} time(s) today; the limit is {policy.MaxAttemptsPerDay} per day.");
        return null;
    }
}
