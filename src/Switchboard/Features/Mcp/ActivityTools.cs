using System.ComponentModel;
using ModelContextProtocol.Server;
using Switchboard.Features.Activities;
using static Switchboard.Features.Mcp.ToolArguments;

namespace Switchboard.Features.Mcp;

/// <summary>
/// Notes and tasks: the twins of POST /api/v1/notes, POST /api/v1/activities, POST /api/v1/activities/{id}/complete and
/// GET /api/v1/activities (activities scopes), through the activity services.
/// </summary>
[McpServerToolType]
public sealed class ActivityTools(ToolAccess access, NoteService notes, ActivityService activities, TaskRecords taskRecords, RelatedRecords related)
{
    private const string RelatedTypeHelp = "The kind of record: lead, contact, account or opportunity.";

    [McpServerTool(Name = "log_note", Title = "Log a note", Destructive = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("Adds a note (Markdown) to a record's timeline, authored by the key's user, and returns it.")]
    public async Task<NoteDto> LogNote(
        [Description(RelatedTypeHelp)] string relatedType,
        [Description("The record's id (a UUID).")] string relatedId,
        [Description("The note, in Markdown (up to 10,000 characters).")] string body,
        CancellationToken ct = default)
    {
        access.Require(ApiScopes.Activities, HttpMethods.Post);
        var recordId = await VisibleRecordAsync(relatedType, relatedId, ct);
        var note = new NoteWrite { Body = Optional.Of<string?>(body), RelatedType = Optional.Of<string?>(relatedType), RelatedId = Optional.Of<Guid?>(recordId) };
        return (await notes.CreateAsync(note, ct)).ValueOr("note");
    }

    [McpServerTool(Name = "create_task", Title = "Create a task", Destructive = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("Creates a follow-up task, optionally about a record and due at a time, assigned to the key's user unless another member is named (managers and admins only). Returns the task with its id.")]
    public async Task<ActivityDto> CreateTask(
        [Description("What to do, e.g. 'Send the pricing sheet'.")] string subject,
        [Description("Details, if any.")] string? body = null,
        [Description("When it is due: ISO 8601 date and time such as 2026-03-01T15:00:00Z (no offset means UTC).")] string? dueAt = null,
        [Description("high, medium or low (default medium).")] string? priority = null,
        [Description(RelatedTypeHelp + " Give it with relatedId.")] string? relatedType = null,
        [Description("The id of the record the task is about (a UUID).")] string? relatedId = null,
        [Description("The member to assign it to (a user id); omit for the key's own user.")] string? assigneeId = null,
        CancellationToken ct = default)
    {
        access.Require(ApiScopes.Activities, HttpMethods.Post);
        var recordId = relatedType is not null && relatedId is not null ? await VisibleRecordAsync(relatedType, relatedId, ct) : OptionalId(relatedId, "relatedId");
        var task = new ActivityWrite
        {
            Type = Optional.Of<string?>(ActivityTypes.Task), Subject = Optional.Text(subject), Body = Text(body), DueAt = Text(dueAt), Priority = Text(priority),
            RelatedType = Text(relatedType), RelatedId = recordId is null ? Optional<Guid?>.Unset : Optional.Of(recordId), AssigneeId = IdMember(assigneeId, "assigneeId"),
        };
        return (await activities.CreateAsync(task, ct)).ValueOr("task");
    }

    [McpServerTool(Name = "complete_task", Title = "Complete a task", Destructive = false, Idempotent = true, OpenWorld = false, UseStructuredContent = true)]
    [Description("Marks a task completed (stamping when) and returns it; completing a completed task changes nothing.")]
    public async Task<ActivityDto> CompleteTask(
        [Description("The task's id (a UUID, e.g. from my_open_tasks).")] string id,
        CancellationToken ct = default)
    {
        access.Require(ApiScopes.Activities, HttpMethods.Post);
        return (await activities.CompleteAsync(Id(id, "id"), ct)).ValueOr("task");
    }

    [McpServerTool(Name = "my_open_tasks", Title = "My open tasks", ReadOnly = true, Idempotent = true, OpenWorld = false, UseStructuredContent = true)]
    [Description("The open (pending) tasks assigned to the key's user, soonest due first, each with its due bucket in the workspace's time zone (overdue, today or upcoming) and the name of the record it is about.")]
    public async Task<OpenTasks> MyOpenTasks(CancellationToken ct = default)
    {
        access.Require(ApiScopes.Activities, HttpMethods.Get);
        var tasks = await activities.MyPendingTasksAsync(ct);
        var records = await taskRecords.ForAsync(tasks.Select(t => t.Task), ct);
        return new OpenTasks([.. tasks.Select(t => new OpenTask(t.Task, t.Bucket,
            t.Task.RelatedId is { } id && records.TryGetValue(id, out var record) ? record.Name : null))]);
    }

    /// <summary>
    /// The record a note or task is about, when the key may see it. The services would call an invisible record a field
    /// error; an agent is told "not found", as for every other record it may not see.
    /// </summary>
    private async Task<Guid> VisibleRecordAsync(string relatedType, string relatedId, CancellationToken ct)
    {
        var id = Id(relatedId, "relatedId");
        if (RelatedTypes.All.Contains(relatedType) && !await related.IsVisibleAsync(relatedType, id, ct)) throw ToolErrors.NotFound(relatedType);
        return id;
    }
}
