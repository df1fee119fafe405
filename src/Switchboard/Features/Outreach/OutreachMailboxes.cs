using Switchboard.Features.Mailboxes;

namespace Switchboard.Features.Outreach;

public sealed record OutreachMailboxDto(Guid MailboxId, string Address, int PerMinute, int PerDay, DateTimeOffset? PausedAt, string? PausedReason,
    int SentLastMinute, int SentLastDay, int Queued);

public sealed record OutreachMailboxWrite(int? PerMinute, int? PerDay);

/// <summary>
/// A mailbox's outreach caps, pause and counts (GET/PUT /api/v1/mailboxes/{id}/outreach, POST …/outreach/resume): its
/// owner and administrators see and change the caps; only administrators resume a paused mailbox.
/// </summary>
[Scoped]
public sealed class OutreachMailboxes(SwitchboardDbContext db, TenantContext ctx, MailboxAccess access, TimeProvider clock)
{
    public async Task<Outcome<IReadOnlyList<OutreachMailboxDto>>> ListAsync(CancellationToken ct)
    {
        var mailboxes = await access.Usable().AsNoTracking().OrderBy(m => m.Address).ToListAsync(ct);
        var result = new List<OutreachMailboxDto>();
        foreach (var mailbox in mailboxes.Where(access.CanManage)) result.Add(await ToDtoAsync(mailbox, ct));
        return new Outcome<IReadOnlyList<OutreachMailboxDto>>.Ok(result);
    }

    public async Task<Outcome<OutreachMailboxDto>> GetAsync(Guid id, CancellationToken ct)
    {
        if (await ManageableAsync(id, ct) is not { } mailbox) return new Outcome<OutreachMailboxDto>.NotFound();
        return new Outcome<OutreachMailboxDto>.Ok(await ToDtoAsync(mailbox, ct));
    }

    public async Task<Outcome<OutreachMailboxDto>> UpdateAsync(Guid id, OutreachMailboxWrite body, CancellationToken ct)
    {
        if (await ManageableAsync(id, ct) is not { } mailbox) return new Outcome<OutreachMailboxDto>.NotFound();
        var errors = new ValidationErrors();
        if (body.PerMinute is < 1 or > 1000) errors.Add("perMinute", "perMinute must be between 1 and 1000.");
        if (body.PerDay is < 1 or > 100000) errors.Add("perDay", "perDay must be between 1 and 100000.");
        if (!errors.IsValid) return new Outcome<OutreachMailboxDto>.Invalid(errors.ToDictionary());
        var settings = await SettingsAsync(mailbox, ct);
        if (body.PerMinute is { } perMinute) settings.PerMinute = perMinute;
        if (body.PerDay is { } perDay) settings.PerDay = perDay;
        settings.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return new Outcome<OutreachMailboxDto>.Ok(await ToDtoAsync(mailbox, ct));
    }

    public async Task<Outcome<OutreachMailboxDto>> ResumeAsync(Guid id, CancellationToken ct)
    {
        if (await ManageableAsync(id, ct) is not { } mailbox) return new Outcome<OutreachMailboxDto>.NotFound();
        if (!MailboxAccess.IsAdmin(ctx)) return new Outcome<OutreachMailboxDto>.Forbidden("Only administrators can resume a paused mailbox.");
        var settings = await SettingsAsync(mailbox, ct);
        settings.PausedAt = null;
        settings.PausedReason = null;
        settings.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return new Outcome<OutreachMailboxDto>.Ok(await ToDtoAsync(mailbox, ct));
    }

    private async Task<Mailbox?> ManageableAsync(Guid id, CancellationToken ct) =>
        await access.Usable().AsNoTracking().SingleOrDefaultAsync(m => m.Id == id, ct) is { } mailbox && access.CanManage(mailbox) ? mailbox : null;

    private async Task<OutreachMailboxSettings> SettingsAsync(Mailbox mailbox, CancellationToken ct)
    {
        if (await db.Set<OutreachMailboxSettings>().SingleOrDefaultAsync(s => s.MailboxId == mailbox.Id, ct) is { } existing) return existing;
        var settings = new OutreachMailboxSettings { TenantId = mailbox.TenantId, MailboxId = mailbox.Id, UpdatedAt = clock.GetUtcNow() };
        db.Add(settings);
        return settings;
    }

    private async Task<OutreachMailboxDto> ToDtoAsync(Mailbox mailbox, CancellationToken ct)
    {
        var settings = await db.Set<OutreachMailboxSettings>().AsNoTracking().SingleOrDefaultAsync(s => s.MailboxId == mailbox.Id, ct);
        var now = clock.GetUtcNow();
        var minute = now.AddMinutes(-1);
        var day = now.AddDays(-1);
        var rows = db.Set<OutboundEmail>().AsNoTracking().Where(o => o.MailboxId == mailbox.Id);
        var sentMinute = await rows.CountAsync(o => o.Status == OutboundEmailStatus.Sent && o.SentAt > minute, ct);
        var sentDay = await rows.CountAsync(o => o.Status == OutboundEmailStatus.Sent && o.SentAt > day, ct);
        var queued = await rows.CountAsync(o => o.Status == OutboundEmailStatus.Queued || o.Status == OutboundEmailStatus.Sending, ct);
        return new OutreachMailboxDto(mailbox.Id, mailbox.Address, settings?.PerMinute ?? OutreachMailboxSettings.DefaultPerMinute,
            settings?.PerDay ?? OutreachMailboxSettings.DefaultPerDay, settings?.PausedAt, settings?.PausedReason, sentMinute, sentDay, queued);
    }
}

/// <summary>Outreach sending of a mailbox was paused by the hard-bounce auto-pause (to the tenant's administrators).</summary>
public sealed record OutreachPausedEmail(string Mailbox, string Reason, string When, string SettingsUrl) : Switchboard.Platform.Email.EmailTemplate
{
    public override string Name => "outreach-paused";

    public override IReadOnlyDictionary<string, object?> Values() => new Dictionary<string, object?>
    {
        ["mailbox"] = Mailbox, ["reason"] = Reason, ["when"] = When, ["settings_url"] = SettingsUrl,
    };
}
