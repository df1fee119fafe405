using Switchboard.Features.Activities;
using Switchboard.Features.Contacts;
using Switchboard.Features.Leads;

namespace Switchboard.Features.Mcp;

/// <summary>A lead with the newest entries of its timeline (null, with the reason, when the key may not read activities).</summary>
public sealed record LeadWithTimeline(LeadDto Lead, RecordTimeline? Timeline, string? TimelineOmitted);

/// <summary>A contact with the newest entries of its timeline (null, with the reason, when the key may not read activities).</summary>
public sealed record ContactWithTimeline(ContactDto Contact, RecordTimeline? Timeline, string? TimelineOmitted);

/// <summary>The newest <see cref="RecordTools.TimelineSize"/> entries of a record's timeline, and how many it has in all.</summary>
public sealed record RecordTimeline(IReadOnlyList<TimelineEntry> Entries, int Total);

/// <summary>A timeline entry as an agent reads it: the API's <see cref="TimelineItem"/> without the note's HTML rendering.</summary>
public sealed record TimelineEntry(
    string Kind, Guid? Id, DateTimeOffset OccurredAt, string Title, string? Detail, string? Actor, string? Status, IReadOnlyList<TimelineChange>? Changes)
{
    public static TimelineEntry Of(TimelineItem item) =>
        new(item.Kind, item.Id, item.OccurredAt, item.Title, item.Detail, item.ActorName, item.Status, item.Changes);
}

/// <summary>The caller's open tasks, soonest due first.</summary>
public sealed record OpenTasks(IReadOnlyList<OpenTask> Tasks);

/// <summary>An open task, its due bucket in the workspace's time zone (overdue, today, upcoming), and the record it is about.</summary>
public sealed record OpenTask(ActivityDto Task, string Due, string? RecordName);
