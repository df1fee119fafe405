namespace Switchboard.Features.Sequences;

public static class SequencesApi
{
    public static IEndpointRouteBuilder MapSequencesApi(this IEndpointRouteBuilder app)
    {
        var sequences = app.MapTenantApi("/sequences", "Sequences");

        sequences.MapGet("/", async (SequenceService service, CancellationToken ct) => Results.Ok(await service.ListAsync(ct)))
            .Produces<SequenceList>()
            .WithSummary("The tenant's sequences with their steps and active enrolment counts.");

        sequences.MapPost("/", async ([FromBody] SequenceWrite body, SequenceService service, CancellationToken ct) =>
                (await service.CreateAsync(body, ct)).ToResult(value => Results.Created($"/api/v1/sequences/{value.Id}", value)))
            .Produces<SequenceDto>(201).ProducesValidationProblem().ProducesProblem(403)
            .WithSummary("Create a sequence (managers, admins): name, mailboxId, steps [{type: email|call|task|wait, …}], windowDays, windowFrom, windowTo, stopStatuses.");

        sequences.MapGet("/{id:guid}", async (Guid id, SequenceService service, CancellationToken ct) => (await service.GetAsync(id, ct)).ToResult(value => Results.Ok(value)))
            .Produces<SequenceDto>().ProducesProblem(404)
            .WithSummary("One sequence.");

        sequences.MapPut("/{id:guid}", async (Guid id, [FromBody] SequenceWrite body, SequenceService service, CancellationToken ct) =>
                (await service.UpdateAsync(id, body, ct)).ToResult(value => Results.Ok(value)))
            .Produces<SequenceDto>().ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404)
            .WithSummary("Replace a sequence (managers, admins). Enrolments keep their place by step number.");

        sequences.MapDelete("/{id:guid}", async (Guid id, SequenceService service, CancellationToken ct) =>
                (await service.DeleteAsync(id, ct)).ToResult(_ => Results.NoContent()))
            .Produces(204).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409)
            .WithSummary("Delete a sequence without open enrolments (managers, admins).");

        sequences.MapPost("/{id:guid}/enrolments", async (Guid id, [FromBody] EnrolRequest body, EnrolmentService service, CancellationToken ct) =>
                (await service.EnrolAsync(id, body, ct)).ToResult(value => Results.Ok(value)))
            .Produces<EnrolResult>().ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404)
            .WithSummary("Enrol leadIds, contactIds, a listSelection ({entity, ids} or {entity, filter}) or a saved view's people (viewId); those skipped come back with a reason.");

        sequences.MapGet("/{id:guid}/enrolments", async (Guid id, string? status, EnrolmentService service, CancellationToken ct) =>
                (await service.ListAsync(id, status, ct)).ToResult(value => Results.Ok(value)))
            .Produces<EnrolmentList>().ProducesProblem(404)
            .WithSummary("The sequence's enrolments the caller may see: status, current step, next due (also on the recipient's clock), stop reason.");

        var enrolments = app.MapTenantApi("/enrolments", "Sequences");
        enrolments.MapPost("/{id:guid}/stop", async (Guid id, EnrolmentService service, CancellationToken ct) =>
                (await service.StopAsync(id, ct)).ToResult(value => Results.Ok(value)))
            .Produces<EnrolmentDto>().ProducesProblem(404).ProducesProblem(409)
            .WithSummary("Stop an enrolment by hand; its queued email is cancelled.");
        enrolments.MapPost("/{id:guid}/pause", async (Guid id, EnrolmentService service, CancellationToken ct) =>
                (await service.PauseAsync(id, ct)).ToResult(value => Results.Ok(value)))
            .Produces<EnrolmentDto>().ProducesProblem(404).ProducesProblem(409)
            .WithSummary("Pause an enrolment: no further step runs until it is resumed.");
        enrolments.MapPost("/{id:guid}/resume", async (Guid id, EnrolmentService service, CancellationToken ct) =>
                (await service.ResumeAsync(id, ct)).ToResult(value => Results.Ok(value)))
            .Produces<EnrolmentDto>().ProducesProblem(404).ProducesProblem(409)
            .WithSummary("Resume a paused enrolment; a step that fell due meanwhile runs at once.");

        var holidays = app.MapTenantApi("/holidays", "Sequences");
        holidays.MapGet("/", async (HolidayService service, CancellationToken ct) => Results.Ok(await service.ListAsync(ct)))
            .Produces<HolidayList>()
            .WithSummary("The tenant's holidays: sequence steps are not sent on these dates.");
        holidays.MapPost("/", async ([FromBody] HolidayWrite body, HolidayService service, CancellationToken ct) =>
                (await service.AddAsync(body, ct)).ToResult(value => Results.Created($"/api/v1/holidays/{value.Day:yyyy-MM-dd}", value)))
            .Produces<HolidayDto>(201).ProducesValidationProblem().ProducesProblem(403)
            .WithSummary("Add a holiday (admins): day (yyyy-mm-dd), name.");
        holidays.MapDelete("/{day}", async (DateOnly day, HolidayService service, CancellationToken ct) =>
                (await service.DeleteAsync(day, ct)).ToResult(_ => Results.NoContent()))
            .Produces(204).ProducesProblem(403).ProducesProblem(404)
            .WithSummary("Remove a holiday (admins).");
        return app;
    }
}
