namespace Switchboard.Features.Ai.CallPrep;

/// <summary>What GET /api/v1/leads/{id}/call-prep (and contacts') answers: everything an agent reads before dialing (ADR 0053).</summary>
public sealed record CallPrepDto(
    CallPrepRecord Record, IReadOnlyList<CallPrepInteraction> LastInteractions, IReadOnlyList<CallPrepTask> OpenTasks, CallPrepLastCall? LastCall,
    CallPrepScript? Script, IReadOnlyList<string> TalkingPoints, string TalkingPointsSource);

/// <summary>Who they are. <paramref name="LocalTime"/> is now in their zone (ISO with its offset). <paramref name="Status"/> is the lead's status (null for a contact); <paramref name="Company"/> is a contact's account.</summary>
public sealed record CallPrepRecord(
    string Type, Guid Id, string Name, string? Title, string? Company, Guid? AccountId, string? Phone, string? Email, string? Status,
    CallPrepOwner? Owner, string TimeZone, DateTimeOffset LocalTime, DateTimeOffset? LastContactAt, DateTimeOffset? CallbackAt, bool DoNotCall);

public sealed record CallPrepOwner(Guid Id, string Name);

/// <summary>
/// One of the newest interactions: kind is call, note, or the activity's type (task, email, meeting, call-task); the id
/// is the call's, note's or activity's, and callId names the call an activity came from when it did.
/// </summary>
public sealed record CallPrepInteraction(string Kind, Guid Id, DateTimeOffset At, string Summary, string? By, Guid? CallId);

/// <summary>A pending task (or email, call, meeting) of the record, due soonest first.</summary>
public sealed record CallPrepTask(Guid Id, string Type, string Subject, DateTimeOffset? DueAt, string Priority, bool Overdue, Guid? AssigneeId, Guid? SourceCallId);

/// <summary>
/// The record's last ended call, with its analysis when it has one, and the open promises of the newest analysed call
/// (usually this one; each promise names its call).
/// </summary>
public sealed record CallPrepLastCall(
    Guid Id, DateTimeOffset At, string Direction, string Status, string? Disposition, string? Notes, int? DurationSeconds, string? Agent,
    string? AnalysisStatus, string? Summary, string? Sentiment, IReadOnlyList<CallPrepStatement> CustomerRequests, IReadOnlyList<CallPrepPromise> OpenPromises);

/// <summary>
/// Something our side promised on a call and has not done: a task the analysis created or the agent accepted that is
/// still pending (<paramref name="ActivityId"/> set, state "task"), or a suggestion nobody answered (state "suggested").
/// </summary>
public sealed record CallPrepPromise(string Title, DateTimeOffset? DueAt, bool Overdue, string Quote, Guid? ActivityId, string State, Guid CallId);

public sealed record CallPrepStatement(string Text, string Quote);

/// <summary>The call script with its merge fields filled for this record (HTML, every value escaped).</summary>
public sealed record CallPrepScript(Guid? QueueId, string Name, string Html);

/// <summary>The query of the call-prep endpoints: <paramref name="QueueId"/> picks the caller's dialer queue the script is for.</summary>
public sealed record CallPrepQuery(Guid? QueueId);

public static class PromiseStates
{
    public const string Task = "task";
    public const string Suggested = "suggested";
}
