namespace Switchboard.Features.Sequences;

public static class StepTypes
{
    public const string Email = "email";
    public const string Call = "call";
    public const string Task = "task";
    public const string Wait = "wait";
    public static readonly IReadOnlyList<string> All = [Email, Call, Task, Wait];
}

/// <summary>
/// One step as stored and as the API takes it. email: templateId, or subject + body; replyInThread. call: note.
/// task: title, dueDays (business days after the step runs, 0 = the same day). wait: days (business days).
/// </summary>
public sealed record SequenceStep(
    string? Type, Guid? TemplateId = null, string? Subject = null, string? Body = null, bool ReplyInThread = false,
    string? Note = null, string? Title = null, int? DueDays = null, int? Days = null)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IReadOnlyList<SequenceStep> Read(JsonDocument steps) => steps.Deserialize<List<SequenceStep>>(Json) ?? [];

    public static JsonDocument Write(IEnumerable<SequenceStep> steps) => JsonSerializer.SerializeToDocument(steps.ToList(), Json);

    public string Summary => Type switch
    {
        StepTypes.Email => "Email: " + (Subject ?? "template") + (ReplyInThread ? " (in thread)" : ""),
        StepTypes.Call => "Call" + (string.IsNullOrWhiteSpace(Note) ? "" : ": " + Note),
        StepTypes.Task => "Task: " + Title + (DueDays is > 0 ? $" (due in {DueDays} business days)" : ""),
        StepTypes.Wait => $"Wait {Days} business day{(Days == 1 ? "" : "s")}",
        _ => Type ?? "",
    };
}

/// <summary>The body of POST and PUT /api/v1/sequences (PUT replaces the whole sequence).</summary>
public sealed record SequenceWrite(
    string? Name, Guid? MailboxId, bool? IsActive, IReadOnlyList<SequenceStep>? Steps, IReadOnlyList<string>? WindowDays,
    string? WindowFrom, string? WindowTo, IReadOnlyList<string>? StopStatuses);

public sealed record SequenceDto(
    Guid Id, string Name, Guid? MailboxId, bool IsActive, IReadOnlyList<SequenceStep> Steps, IReadOnlyList<string> WindowDays,
    string WindowFrom, string WindowTo, IReadOnlyList<string> StopStatuses, int ActiveEnrolments, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int Version);

public sealed record SequenceList(IReadOnlyList<SequenceDto> Items);

/// <summary>
/// Who to enrol: leadIds, contactIds, a list selection ({entity: lead|contact, ids} or {entity, filter} as the list's
/// query parameters, like bulk actions), or a saved view's id. Exactly one of them.
/// </summary>
public sealed record EnrolRequest(
    IReadOnlyList<Guid>? LeadIds, IReadOnlyList<Guid>? ContactIds, EnrolListSelection? ListSelection, Guid? ViewId);

public sealed record EnrolListSelection(string? Entity, IReadOnlyList<Guid>? Ids, IReadOnlyDictionary<string, string[]>? Filter);

public sealed record EnrolSkip(string Type, Guid Id, string Reason);

/// <summary>What an enrolment request did: enrolled now, or (a large selection) a background run to follow at its URL.</summary>
public sealed record EnrolResult(int Enrolled, IReadOnlyList<EnrolSkip> Skipped, Guid? RunId = null, int Total = 0);

public sealed record EnrolmentDto(
    Guid Id, Guid SequenceId, string RelatedType, Guid RelatedId, string? Name, string? Email, Guid? AssigneeId, string Status,
    int StepIndex, string? CurrentStep, DateTimeOffset? NextDueAt, string? NextDueLocal, string? TimeZone, bool AwaitingEmail,
    DateTimeOffset EnrolledAt, string? StopReason, string? StopDetail, string? StopEvidenceId, DateTimeOffset? StoppedAt,
    DateTimeOffset? CompletedAt, string? LastError);

public sealed record EnrolmentList(IReadOnlyList<EnrolmentDto> Items);

public sealed record HolidayWrite(DateOnly? Day, string? Name);

public sealed record HolidayDto(DateOnly Day, string Name);

public sealed record HolidayList(IReadOnlyList<HolidayDto> Items);
