using Switchboard.Features.Activities;
using Switchboard.Platform;

namespace Switchboard.Ui.Timeline;

/// <summary>The "Add task" form of a record page's timeline (_TaskForm.cshtml), posted to the page's "Task" handler.</summary>
public sealed class TimelineTaskForm
{
    public string? Subject { get; set; }

    /// <summary>A datetime-local value (no offset), read on the tenant's wall clock; empty: no due date.</summary>
    public string? Due { get; set; }

    /// <summary>One of <see cref="ActivityTypes.All"/>; empty: a task.</summary>
    public string? Type { get; set; }
}

/// <summary>A refused "Add task" form: what was typed and the messages by field (subject, dueAt, type), shown by _TaskForm.cshtml.</summary>
public sealed record TaskDraft(string? Subject, string? Due, string? Type, IDictionary<string, string[]> Errors, string? Message)
{
    public static readonly TaskDraft Empty = new(null, null, null, new Dictionary<string, string[]>(), null);

    public string? ErrorFor(params string[] fields) =>
        fields.SelectMany(f => Errors.TryGetValue(f, out var messages) ? messages : []).ToList() is { Count: > 0 } all ? string.Join(" ", all) : null;
}

/// <summary>
/// The one "Task" page handler every record page delegates to: creates an activity about the record through
/// <see cref="ActivityService"/> (its permission rules: agents assign to themselves; its validation), then redirects back
/// to the timeline; a refused form re-renders the page with what was typed and the messages next to the fields.
/// </summary>
public static class TaskFormHandler
{
    public static async Task<IActionResult> HandleAsync<TPage>(
        TPage page, ActivityService activities, TimelineTaskForm form, string relatedType, Guid relatedId, TenantContext ctx,
        Func<Task<IActionResult>> render, CancellationToken ct)
        where TPage : AppPageModel, IRecordTimelinePage
    {
        if (!ActivityPermissions.CanWrite(ctx)) return page.Forbid();
        var body = new ActivityWrite
        {
            Type = Optional.Of<string?>(string.IsNullOrWhiteSpace(form.Type) ? ActivityTypes.Task : form.Type.Trim()),
            Subject = Optional.Text(form.Subject),
            RelatedType = Optional.Of<string?>(relatedType), RelatedId = Optional.Of<Guid?>(relatedId),
        };
        var errors = new Dictionary<string, string[]>();
        if (!string.IsNullOrWhiteSpace(form.Due))
        {
            switch (TimeZones.FromLocal(form.Due, TimeZones.FindOrUtc(ctx.Tenant?.TimeZone), "dueAt"))
            {
                case Outcome<DateTimeOffset>.Ok due:
                    body = body with { DueAt = Optional.Of<string?>(due.Value.ToString("O", CultureInfo.InvariantCulture)) };
                    break;
                case Outcome<DateTimeOffset>.Invalid invalid:
                    errors = new Dictionary<string, string[]>(invalid.Errors);
                    break;
            }
        }

        string? message = null;
        // A due date that does not read is refused before the service is asked, so nothing is created.
        if (errors.Count == 0)
        {
            switch (await activities.CreateAsync(body, ct))
            {
                case Outcome<ActivityDto>.Ok:
                    page.Flash("Task added.");
                    return page.LocalRedirect(page.Request.Path + "#record-timeline");
                case Outcome<ActivityDto>.Invalid invalid:
                    errors = new Dictionary<string, string[]>(invalid.Errors);
                    break;
                case Outcome<ActivityDto>.Forbidden:
                    return page.Forbid();
                case Outcome<ActivityDto>.NotFound:
                    return page.NotFound();
                case var other:
                    message = other.Problem;
                    break;
            }
        }

        var result = await render();
        if (page.RecordTimeline is { } timeline)
            page.RecordTimeline = timeline with { Task = new TaskDraft(form.Subject, form.Due, form.Type, errors, message) };
        return result;
    }
}
