using Microsoft.AspNetCore.Http.Features;

namespace Switchboard.Features.Imports;

/// <summary>CSV imports of leads, contacts and accounts: services, the background runner and /api/v1/imports.</summary>
public static class ImportsComposition
{
    public static IServiceCollection AddImports(this IServiceCollection services)
    {
        services.AddJobHandler<ImportRunner>();
        services.AddJobHandler<ImportDraftExpiry>();
        return services;
    }

    public static IEndpointRouteBuilder MapImportsApi(this IEndpointRouteBuilder app)
    {
        var imports = app.MapTenantApi("/imports", "Imports").ForApiScope(ApiScopes.Imports);

        imports.MapPost("/", async (HttpRequest request, ImportService service, CancellationToken ct) =>
            {
                var (form, problem) = await MultipartForms.ReadAsync(request, "file", ct, bodyLengthLimit: ImportFiles.MaxBytes + 1024 * 1024);
                if (form is null) return problem!;
                string? Field(string name) => form.TryGetValue(name, out var value) ? value.ToString() : null;
                var options = new ImportOptions(Field("entity"), Field("mode"), Field("matchOn"), Field("mapping"), Field("encoding"), Field("delimiter"),
                    Field("start") is { } start ? !start.Equals("false", StringComparison.OrdinalIgnoreCase) : null, Field("valueMapping"));
                return (await service.CreateAsync(options, form.Files.GetFile("file"), ct)).ToResult(value => value.Status == ImportStatuses.Uploaded
                    ? Results.Created($"/api/v1/imports/{value.Id}", value)
                    : Results.Accepted($"/api/v1/imports/{value.Id}", value));
            })
            .DisableAntiforgery()
            .Accepts<ImportOptions>("multipart/form-data")
            .Produces<ImportDto>(202)
            .Produces<ImportDto>(201)
            .ProducesValidationProblem()
            .WithMetadata(new RequestSizeLimitAttribute(ImportFiles.MaxBytes + 1024 * 1024))
            .WithSummary("Upload a CSV (multipart: file, entity=leads|contacts|accounts, mode=create|upsert|update, matchOn=email|phone|externalId[,…], " +
                         "optional mapping JSON {header: field|null}, optional valueMapping JSON {field: {value in the file: stored value|null}} for choice values " +
                         "that are not options (suggestions and the tenant's earlier choices are added), encoding=auto|utf-8|windows-1252, delimiter=auto|comma|semicolon|tab). " +
                         "Runs in the background: 202 with the import. start=false keeps it as a draft (201) to preview and adjust first. Admins and managers.");

        imports.MapGet("/", async (int? page, int? pageSize, ImportService service, CancellationToken ct) =>
                (await service.ListAsync(page, pageSize, ct)).ToResult(value => Results.Ok(value)))
            .Produces<PagedList<ImportDto>>()
            .WithSummary("The tenant's imports, newest first.");

        imports.MapGet("/{id:guid}", async (Guid id, ImportService service, CancellationToken ct) =>
                (await service.FindAsync(id, ct)).ToResult(value => Results.Ok(value)))
            .Produces<ImportDto>()
            .ProducesProblem(404)
            .WithSummary("An import's status (uploaded|queued|running|completed|failed|undone), phase and counts.");

        imports.MapPatch("/{id:guid}", async (Guid id, ImportOptions options, ImportService service, CancellationToken ct) =>
                (await service.UpdateDraftAsync(id, options, ct)).ToResult(value => Results.Ok(value)))
            .Produces<ImportDto>()
            .ProducesValidationProblem()
            .ProducesProblem(404)
            .ProducesProblem(409)
            .WithSummary("Change a draft: mode, matchOn, mapping (JSON text), valueMapping (JSON text; entries are added or replaced), encoding or delimiter (the file is re-read); start=true queues it.");

        imports.MapPost("/{id:guid}/start", async (Guid id, ImportService service, CancellationToken ct) =>
                (await service.StartAsync(id, ct)).ToResult(value => Results.Accepted($"/api/v1/imports/{value.Id}", value)))
            .Produces<ImportDto>(202)
            .ProducesValidationProblem()
            .ProducesProblem(404)
            .ProducesProblem(409)
            .WithSummary("Queue a draft with its current options.");

        imports.MapGet("/{id:guid}/preview", async (Guid id, int? rows, ImportReports reports, CancellationToken ct) =>
                (await reports.PreviewAsync(id, rows, ct)).ToResult(value => Results.Ok(value)))
            .Produces<ImportPreviewDto>()
            .ProducesProblem(404)
            .ProducesProblem(409)
            .WithSummary("A draft's first rows (rows=1..50, default 10) with the cells that will fail, the fields columns can map to, " +
                              "and each value of a mapped choice column that is not an option, with its row count and what it maps to.");

        imports.MapGet("/{id:guid}/errors", async (Guid id, ImportReports reports, HttpContext http, CancellationToken ct) =>
            {
                var outcome = await reports.ErrorsCsvAsync(id, ct);
                if (outcome is not Outcome<Func<Stream, CancellationToken, Task>>.Ok ok) return outcome.ToProblem();
                return Results.Stream(body => ok.Value(body, ct), "text/csv; charset=utf-8", $"import-{id:N}-errors.csv");
            })
            .Produces(200, contentType: "text/csv")
            .ProducesProblem(404)
            .WithSummary("The rows that were not imported, as CSV: row,column,value,reason (row 1 is the header).");

        imports.MapPost("/{id:guid}/undo", async (Guid id, ImportUndo undo, CancellationToken ct) =>
                (await undo.UndoAsync(id, ct)).ToResult(value => Results.Ok(value)))
            .Produces<ImportDto>()
            .ProducesProblem(404)
            .ProducesProblem(409)
            .WithSummary("Undo a completed import: deletes what it created and restores what it updated, except records changed since.");

        return app;
    }
}
