namespace Switchboard.Features.Calls;

public static class CallsApi
{
    public static IEndpointRouteBuilder MapCallsApi(this IEndpointRouteBuilder app)
    {
        var calls = app.MapTenantApi("/calls", "Calls").ForApiScope(ApiScopes.Calls);

        calls.MapGet("/", async ([AsParameters] CallQuery query, CallService service, CancellationToken ct) =>
                (await service.ListAsync(query, ct)).ToResult(value => Results.Ok(value)))
            .Produces<PagedList<CallDto>>()
            .ProducesValidationProblem()
            .WithSummary("Calls, newest first. Agents see the calls they made and the calls on their leads.");

        calls.MapGet("/{id:guid}", async (Guid id, CallService service, CancellationToken ct) =>
                await service.FindAsync(id, ct) is { } call ? Results.Ok(call) : Problems.NotFound("The call"))
            .Produces<CallDto>()
            .ProducesProblem(404);

        calls.MapPost("/", async ([FromBody] StartCallRequest body, CallService service, CancellationToken ct) =>
                (await service.StartAsync(body, ct)).ToResult(value => Results.Json(value, statusCode: StatusCodes.Status202Accepted)))
            .Produces<StartedCall>(202)
            .ProducesValidationProblem()
            .ProducesProblem(404).ProducesProblem(409)
            .RefuseApiKeys()
            .WithSummary("Click-to-call a lead: rings your phone, then the lead. 409 with reason dnc, calling-hours or max-attempts when compliance blocks it.");

        calls.MapPost("/{id:guid}/hangup", async (Guid id, CallService service, CancellationToken ct) =>
                (await service.HangUpAsync(id, ct)).ToResult(value => Results.Json(value, statusCode: StatusCodes.Status202Accepted)))
            .Produces<StartedCall>(202)
            .ProducesProblem(404).ProducesProblem(409)
            .RefuseApiKeys()
            .WithSummary("Hang up a live call. The provider ends both legs and reports it through its callbacks.");

        calls.MapPost("/{id:guid}/disposition", async (Guid id, DispositionRequest body, CallService service, CallOutcomes outcomes, CancellationToken ct) =>
                (await service.DispositionAsync(id, body, outcomes, ct)).ToResult(value => Results.Ok(value)))
            .Produces<CallDto>()
            .ProducesValidationProblem()
            .ProducesProblem(404).ProducesProblem(409)
            .WithSummary("Record the call's outcome: disposition, notes and an optional callback time.");

        var dispositions = app.MapTenantApi("/dispositions", "Calls");
        dispositions.MapGet("/", async (Dispositions service, CancellationToken ct) => Results.Ok(await service.ListAsync(ct)))
            .Produces<IReadOnlyList<DispositionDto>>()
            .WithSummary("The tenant's call dispositions.");
        dispositions.MapPut("/{code}", async (string code, [FromBody] DispositionWrite body, Dispositions service, CancellationToken ct) =>
                (await service.PutAsync(code, body, ct)).ToResult(value => Results.Ok(value)))
            .Produces<DispositionDto>()
            .ProducesValidationProblem()
            .WithSummary("Create or change a disposition (admins): label, leadStatus it moves the lead to, addsToDnc, isConnect, sortOrder, isActive (retire with false), hotkey (one letter or digit, unique among active ones), requiresCallback.");
        dispositions.MapPost("/order", async ([FromBody] DispositionOrder body, Dispositions service, CancellationToken ct) =>
                (await service.ReorderAsync(body, ct)).ToResult(value => Results.Ok(value)))
            .Produces<IReadOnlyList<DispositionDto>>()
            .ProducesValidationProblem()
            .WithSummary("Reorder the dispositions (admins): the codes sent come first in that order, the others keep theirs after them.");

        var dnc = app.MapTenantApi("/dnc", "Do not call");
        dnc.MapGet("/", async (string? search, int? page, int? pageSize, DncService service, CancellationToken ct) =>
                (await service.ListAsync(search, page, pageSize, ct)).ToResult(value => Results.Ok(value)))
            .Produces<PagedList<DncDto>>();
        dnc.MapPost("/", async ([FromBody] DncWrite body, DncService service, CancellationToken ct) =>
                (await service.AddAsync(body, ct)).ToResult(value => Results.Created($"/api/v1/dnc/{Uri.EscapeDataString(value.Phone)}", value)))
            .Produces<DncDto>(201)
            .ProducesValidationProblem()
            .WithSummary("Add a number (any format the tenant's country allows; stored E.164). Admins and managers.");
        dnc.MapDelete("/{phone}", async (string phone, DncService service, CancellationToken ct) =>
                (await service.RemoveAsync(phone, ct)).ToResult(_ => Results.NoContent()))
            .Produces(204)
            .ProducesProblem(404);
        dnc.MapPost("/import", async (HttpRequest request, DncService service, CancellationToken ct) =>
            {
                var (form, problem) = await MultipartForms.ReadAsync(request, "file", ct);
                if (form is null) return problem!;
                if (form.Files.GetFile("file") is not { } file) return Problems.Invalid("file", "Attach a CSV file in a part named 'file'.");
                await using var stream = file.OpenReadStream();
                return (await service.ImportAsync(stream, ct)).ToResult(value => Results.Ok(value));
            })
            .DisableAntiforgery()
            .Accepts<DncImportForm>("multipart/form-data")
            .Produces<DncImportResult>()
            .ProducesValidationProblem()
            .WithMetadata(new RequestSizeLimitAttribute(20 * 1024 * 1024))
            .WithSummary("Import a CSV of numbers (column 'phone', optional 'reason'); bad rows are reported, good ones kept.");

        return app;
    }
}

public static class CallingSettingsApi
{
    public static IEndpointRouteBuilder MapCallingSettingsApi(this IEndpointRouteBuilder app)
    {
        var settings = app.MapTenantApi("/calling/settings", "Calls");
        settings.MapGet("/", async (CallingSettingsService service, CancellationToken ct) => Results.Ok(await service.GetAsync(ct)))
            .Produces<CallingSettingsDto>()
            .WithSummary("Calling hours per weekday (lead's local time), max attempts per lead per day, inbound rules, call script, longest wrap-up.");
        settings.MapPatch("/", async ([FromBody] CallingSettingsWrite patch, CallingSettingsService service, CancellationToken ct) =>
                (await service.UpdateAsync(patch, ct)).ToResult(value => Results.Ok(value)))
            .Produces<CallingSettingsDto>()
            .ProducesValidationProblem()
            .WithSummary("Change calling settings (admins). callingHours needs all seven days, each {start, end} or null.");
        return app;
    }
}
