namespace Switchboard.Features.Activities;

/// <summary>
/// /api/v1/activities, /api/v1/notes and /api/v1/timeline. Each is its own route group, returned to the composition
/// so that a module switch ("activities" off → 404) can be added as one filter per group.
/// </summary>
public static class ActivitiesApi
{
    public static RouteGroupBuilder MapActivitiesApi(this IEndpointRouteBuilder app)
    {
        var activities = app.MapTenantApi("/activities", "Activities").ForApiScope(ApiScopes.Activities);

        activities.MapGet("/", async ([AsParameters] ActivityQuery query, ActivityService service, CancellationToken ct) =>
                (await service.ListAsync(query, ct)).ToResult(value => Results.Ok(value)))
            .Produces<PagedList<ActivityDto>>()
            .ProducesValidationProblem()
            .WithSummary("List activities (agents: assigned to them, created by them, or about records they own). due buckets use the tenant's time zone.");

        activities.MapRecordApi<ActivityService, ActivityDto, ActivityWrite>("/activities", "activity",
            patchSummary: "JSON merge patch. status completed stamps completedAt; pending or canceled clears it (reopen).",
            deleteSummary: "Admins delete any activity; the creator may delete their own while it is pending.");

        activities.MapPost("/{id:guid}/complete", async (Guid id, ActivityService service, HttpResponse response, CancellationToken ct) =>
                RecordEndpoints.Respond(await service.CompleteAsync(id, ct), response))
            .Produces<ActivityDto>()
            .ProducesProblem(404);

        activities.MapPost("/{id:guid}/snooze", async (Guid id, TaskReminders reminders, HttpResponse response, CancellationToken ct) =>
                RecordEndpoints.Respond(await reminders.SnoozeAsync(id, ct), response))
            .Produces<ActivityDto>()
            .ProducesProblem(404)
            .ProducesProblem(409)
            .WithSummary("Moves the caller's reminder of one of their own pending tasks 10 minutes ahead (remindAt). Another member's task is a 404.");

        activities.MapPost("/{id:guid}/dismiss-reminder", async (Guid id, TaskReminders reminders, HttpResponse response, CancellationToken ct) =>
                RecordEndpoints.Respond(await reminders.DismissAsync(id, ct), response))
            .Produces<ActivityDto>()
            .ProducesProblem(404)
            .WithSummary("Puts away the caller's reminder of one of their own tasks (remindAt becomes null; the task is unchanged).");

        return activities;
    }

    public static RouteGroupBuilder MapNotesApi(this IEndpointRouteBuilder app)
    {
        var notes = app.MapTenantApi("/notes", "Notes").ForApiScope(ApiScopes.Activities);

        notes.MapGet("/", async ([AsParameters] NoteQuery query, NoteService service, CancellationToken ct) =>
                (await service.ListAsync(query, ct)).ToResult(value => Results.Ok(value)))
            .Produces<PagedList<NoteDto>>()
            .ProducesValidationProblem()
            .WithSummary("List notes, newest first. body is the markdown as written; html is its sanitized rendering.");

        notes.MapRecordApi<NoteService, NoteDto, NoteWrite>("/notes", "note");

        return notes;
    }

    public static RouteGroupBuilder MapTimelineApi(this IEndpointRouteBuilder app)
    {
        var timeline = app.MapTenantApi("/timeline", "Timeline").ForApiScope(ApiScopes.Activities);
        timeline.MapGet("/", async ([AsParameters] TimelineQuery query, TimelineService service, CancellationToken ct) =>
                (await service.ListAsync(query, ct)).ToResult(value => Results.Ok(value)))
            .Produces<PagedList<TimelineItem>>()
            .ProducesValidationProblem()
            .ProducesProblem(404)
            .WithSummary("A record's activities, notes, calls and status/stage/owner changes, newest first. 404 when the record is not visible.");
        return timeline;
    }
}
