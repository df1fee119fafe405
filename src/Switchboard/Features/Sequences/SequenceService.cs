using Switchboard.Features.Leads;
using Switchboard.Features.Mailboxes;

namespace Switchboard.Features.Sequences;

/// <summary>Sequences themselves (ADR 0060): every member reads them (to enrol); managers and admins create, change and delete.</summary>
[Scoped]
public sealed class SequenceService(SwitchboardDbContext db, TenantContext ctx, MailboxAccess mailboxes)
{
    public const int MaxSteps = 30;
    private static readonly string[] DayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    public static bool CanManage(TenantContext ctx) => ctx.Role is TenantRole.Manager or TenantRole.Admin or TenantRole.Superadmin;

    public static bool CanEnrol(TenantContext ctx) => ctx.Role is TenantRole.Agent or TenantRole.Manager or TenantRole.Admin or TenantRole.Superadmin;

    public async Task<SequenceList> ListAsync(CancellationToken ct)
    {
        var sequences = await db.Set<Sequence>().AsNoTracking().OrderBy(s => s.Name).ToListAsync(ct);
        var counts = await ActiveCountsAsync(ct);
        return new SequenceList(sequences.Select(s => ToDto(s, counts.GetValueOrDefault(s.Id))).ToList());
    }

    public async Task<Outcome<SequenceDto>> GetAsync(Guid id, CancellationToken ct)
    {
        var sequence = await db.Set<Sequence>().AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, ct);
        if (sequence is null) return new Outcome<SequenceDto>.NotFound();
        return ToDto(sequence, (await ActiveCountsAsync(ct)).GetValueOrDefault(id));
    }

    public async Task<Outcome<SequenceDto>> CreateAsync(SequenceWrite body, CancellationToken ct)
    {
        if (!CanManage(ctx)) return new Outcome<SequenceDto>.Forbidden("Only managers and admins manage sequences.");
        var sequence = new Sequence { TenantId = ctx.RequiredTenantId, Id = Guid.CreateVersion7(), Name = "", CreatedBy = ctx.UserId };
        var errors = await ApplyAsync(sequence, body, ct);
        if (!errors.IsValid) return new Outcome<SequenceDto>.Invalid(errors.ToDictionary());
        db.Add(sequence);
        await db.SaveChangesAsync(ct);
        return ToDto(sequence, 0);
    }

    public async Task<Outcome<SequenceDto>> UpdateAsync(Guid id, SequenceWrite body, CancellationToken ct)
    {
        if (!CanManage(ctx)) return new Outcome<SequenceDto>.Forbidden("Only managers and admins manage sequences.");
        var sequence = await db.Set<Sequence>().SingleOrDefaultAsync(s => s.Id == id, ct);
        if (sequence is null) return new Outcome<SequenceDto>.NotFound();
        var errors = await ApplyAsync(sequence, body, ct);
        if (!errors.IsValid) return new Outcome<SequenceDto>.Invalid(errors.ToDictionary());
        await db.SaveChangesAsync(ct);
        return ToDto(sequence, (await ActiveCountsAsync(ct)).GetValueOrDefault(id));
    }

    public async Task<Outcome<bool>> DeleteAsync(Guid id, CancellationToken ct)
    {
        if (!CanManage(ctx)) return new Outcome<bool>.Forbidden("Only managers and admins manage sequences.");
        var sequence = await db.Set<Sequence>().SingleOrDefaultAsync(s => s.Id == id, ct);
        if (sequence is null) return new Outcome<bool>.NotFound();
        if (await db.Set<SequenceEnrolment>().AnyAsync(e => e.SequenceId == id && (e.Status == EnrolmentStatuses.Active || e.Status == EnrolmentStatuses.Paused), ct))
            return new Outcome<bool>.Conflict("People are still enrolled in this sequence; stop their enrolments or pause the sequence instead.");
        db.Remove(sequence);
        await db.SaveChangesAsync(ct);
        return true;
    }

    private async Task<ValidationErrors> ApplyAsync(Sequence sequence, SequenceWrite body, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        errors.Required("name", body.Name, "Name", 200);
        var steps = body.Steps ?? [];
        if (steps.Count == 0) errors.Add("steps", "A sequence needs at least one step.");
        if (steps.Count > MaxSteps) errors.Add("steps", $"A sequence has at most {MaxSteps} steps.");
        var templates = await db.Set<MailTemplate>().AsNoTracking().Select(t => t.Id).ToListAsync(ct);
        var clean = new List<SequenceStep>();
        for (var i = 0; i < steps.Count && i < MaxSteps; i++)
            clean.Add(ValidateStep(steps[i], $"steps[{i}]", templates, errors));
        if (clean.Any(s => s.Type == StepTypes.Email))
        {
            if (body.MailboxId is not { } mailboxId) errors.Add("mailboxId", "A sequence with email steps needs a mailbox to send from.");
            else if (!await mailboxes.Usable().AnyAsync(m => m.Id == mailboxId && m.IsActive, ct))
                errors.Add("mailboxId", "Pick an active mailbox you may send from.");
        }
        else if (body.MailboxId is { } unused && !await mailboxes.Usable().AnyAsync(m => m.Id == unused, ct))
            errors.Add("mailboxId", "Pick a mailbox you may send from.");
        var days = new List<int>();
        foreach (var day in body.WindowDays ?? ["mon", "tue", "wed", "thu", "fri"])
        {
            var index = Array.IndexOf(DayNames, day.Trim().ToLowerInvariant());
            if (index < 0) errors.Add("windowDays", $"'{day}' is not a day; use {string.Join(", ", DayNames)}.");
            else if (!days.Contains(index)) days.Add(index);
        }
        if (days.Count == 0 && !errors.Has("windowDays")) errors.Add("windowDays", "Pick at least one day.");
        var from = ParseTime(body.WindowFrom ?? "09:00", "windowFrom", errors);
        var to = ParseTime(body.WindowTo ?? "17:00", "windowTo", errors);
        if (from is { } f && to is { } t && t <= f) errors.Add("windowTo", "The window must end after it starts.");
        var stops = (body.StopStatuses ?? []).Select(s => s.Trim().ToLowerInvariant()).Distinct().ToList();
        foreach (var status in stops.Where(s => !LeadStatuses.All.Contains(s)))
            errors.Add("stopStatuses", $"'{status}' is not a lead status; use {string.Join(", ", LeadStatuses.All)}.");
        if (!errors.IsValid) return errors;

        sequence.Name = body.Name!.Trim();
        sequence.MailboxId = body.MailboxId;
        sequence.IsActive = body.IsActive ?? sequence.IsActive;
        sequence.Steps = SequenceStep.Write(clean);
        sequence.WindowDays = [.. days.Order()];
        sequence.WindowFrom = from!.Value;
        sequence.WindowTo = to!.Value;
        sequence.StopStatuses = [.. stops];
        return errors;
    }

    private static SequenceStep ValidateStep(SequenceStep step, string field, IReadOnlyCollection<Guid> templates, ValidationErrors errors)
    {
        var type = step.Type?.Trim().ToLowerInvariant();
        switch (type)
        {
            case StepTypes.Email:
                if (step.TemplateId is { } template)
                {
                    if (!templates.Contains(template)) errors.Add($"{field}.templateId", "No such email template.");
                    return new SequenceStep(type, TemplateId: template, ReplyInThread: step.ReplyInThread);
                }
                if (string.IsNullOrWhiteSpace(step.Subject) && string.IsNullOrWhiteSpace(step.Body))
                    errors.Add($"{field}.templateId", "An email step needs a template, or a subject and a body.");
                else
                {
                    errors.Required($"{field}.subject", step.Subject, "Subject", 300);
                    errors.Required($"{field}.body", step.Body, "Body", 50_000);
                }
                return new SequenceStep(type, Subject: step.Subject?.Trim(), Body: step.Body, ReplyInThread: step.ReplyInThread);
            case StepTypes.Call:
                errors.MaxLength($"{field}.note", step.Note, "Note", 2000);
                return new SequenceStep(type, Note: step.Note?.Trim());
            case StepTypes.Task:
                errors.Required($"{field}.title", step.Title, "Title", 300);
                if (step.DueDays is < 0 or > 90) errors.Add($"{field}.dueDays", "Due in 0 to 90 business days.");
                return new SequenceStep(type, Title: step.Title?.Trim(), DueDays: step.DueDays ?? 0);
            case StepTypes.Wait:
                if (step.Days is not (>= 1 and <= 90)) errors.Add($"{field}.days", "Wait 1 to 90 business days.");
                return new SequenceStep(type, Days: step.Days);
            default:
                errors.Add($"{field}.type", $"Use one of: {string.Join(", ", StepTypes.All)}.");
                return step;
        }
    }

    private static TimeOnly? ParseTime(string value, string field, ValidationErrors errors)
    {
        if (TimeOnly.TryParseExact(value.Trim(), ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)) return time;
        errors.Add(field, "Use a time such as 09:00.");
        return null;
    }

    private async Task<Dictionary<Guid, int>> ActiveCountsAsync(CancellationToken ct) =>
        await db.Set<SequenceEnrolment>().AsNoTracking()
            .Where(e => e.Status == EnrolmentStatuses.Active || e.Status == EnrolmentStatuses.Paused)
            .GroupBy(e => e.SequenceId).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, ct);

    public static string DayName(int day) => DayNames[day];

    internal static SequenceDto ToDto(Sequence s, int active) => new(
        s.Id, s.Name, s.MailboxId, s.IsActive, s.StepList, s.WindowDays.Select(DayName).ToList(),
        s.WindowFrom.ToString("HH:mm", CultureInfo.InvariantCulture), s.WindowTo.ToString("HH:mm", CultureInfo.InvariantCulture),
        s.StopStatuses, active, s.CreatedAt, s.UpdatedAt, s.Version);
}
