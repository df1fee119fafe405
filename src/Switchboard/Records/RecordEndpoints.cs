namespace Switchboard.Records;

/// <summary>A record's response body as the shared endpoints need it: its id and optimistic-concurrency version.</summary>
public interface IVersionedRecord
{
    Guid Id { get; }
    int Version { get; }
}

/// <summary>
/// The single-record use cases of a feature service, which <see cref="RecordEndpoints"/> maps. <typeparamref name="TWrite"/>
/// is the request body of create and of update (a JSON merge patch of the same shape).
/// </summary>
public interface IRecordStore<TDto, in TWrite> : IRecordLookup<TDto>
{
    Task<Outcome<TDto>> CreateAsync(TWrite body, CancellationToken ct);
    Task<Outcome<TDto>> UpdateAsync(Guid id, TWrite patch, int? ifMatch, CancellationToken ct);
}

/// <summary>Finding and deleting one record: what a details page needs, whatever the record's write body.</summary>
public interface IRecordLookup<TDto>
{
    Task<TDto?> FindAsync(Guid id, CancellationToken ct);
    Task<Outcome<bool>> DeleteAsync(Guid id, CancellationToken ct);
}

/// <summary>
/// The single-record endpoints every CRM resource has, one implementation: GET /{id} with an ETag, POST (201,
/// Location, ETag), PATCH as a JSON merge patch with If-Match (412) and version (409) checks, DELETE (204).
/// Each feature maps its own list endpoint, since its query type binds from the query string
/// ([AsParameters] cannot be generic).
/// </summary>
public static class RecordEndpoints
{
    public static RouteGroupBuilder MapRecordApi<TService, TDto, TWrite>(
        this RouteGroupBuilder group, string path, string noun, string? patchSummary = null, string? deleteSummary = null)
        where TService : IRecordStore<TDto, TWrite>
        where TDto : IVersionedRecord
        where TWrite : notnull
    {
        group.MapGet("/{id:guid}", async (Guid id, HttpContext http, CancellationToken ct) =>
        {
            if (await Service(http).FindAsync(id, ct) is not { } record) return Problems.NotFound($"The {noun}");
            return WithETag(record, http.Response, Results.Ok(record));
        })
            .Produces<TDto>()
            .ProducesProblem(404);

        // The handlers with a TWrite body are Delegate-typed locals: the route handler analyzer fails on a lambda whose
        // parameter is a type parameter (AD0001), while the runtime binds the closed type as any other body.
        Delegate create = async ([FromBody] TWrite body, HttpContext http, CancellationToken ct) =>
        {
            var outcome = await Service(http).CreateAsync(body, ct);
            return outcome is Outcome<TDto>.Ok { Value: var record }
                ? WithETag(record, http.Response, Results.Created($"/api/v1{path}/{record.Id}", record))
                : outcome.ToProblem();
        };
        group.MapPost("/", create)
            .Produces<TDto>(201)
            .ProducesValidationProblem();

        Delegate update = async (Guid id, [FromBody] TWrite patch, HttpContext http, CancellationToken ct) =>
        {
            var ifMatch = http.Request.IfMatchVersion();
            if (ifMatch == -1) return Problems.PreconditionFailed("If-Match must be an ETag returned by this API, such as \"3\".");
            return Respond(await Service(http).UpdateAsync(id, patch, ifMatch, ct), http.Response);
        };
        group.MapPatch("/{id:guid}", update)
            .Accepts<TWrite>("application/merge-patch+json", "application/json")
            .Produces<TDto>()
            .ProducesValidationProblem()
            .ProducesProblem(404).ProducesProblem(409).ProducesProblem(412)
            .WithSummary(patchSummary ?? $"JSON merge patch. Send the {noun}'s version (or an If-Match header) to refuse stale updates.");

        var delete = group.MapDelete("/{id:guid}", async (Guid id, HttpContext http, CancellationToken ct) =>
                (await Service(http).DeleteAsync(id, ct)).ToResult(_ => Results.NoContent()))
            .Produces(204)
            .ProducesProblem(404);
        if (deleteSummary is not null) delete.WithSummary(deleteSummary);

        return group;

        // Resolved here rather than bound as a handler parameter: the route handler analyzer cannot read generic parameter types.
        static TService Service(HttpContext http) => http.RequestServices.GetRequiredService<TService>();
    }

    /// <summary>200 with the record and its ETag, or the outcome's problem.</summary>
    public static IResult Respond<TDto>(Outcome<TDto> outcome, HttpResponse response) where TDto : IVersionedRecord =>
        outcome is Outcome<TDto>.Ok { Value: var record } ? WithETag(record, response, Results.Ok(record)) : outcome.ToProblem();

    private static IResult WithETag<TDto>(TDto record, HttpResponse response, IResult result) where TDto : IVersionedRecord
    {
        response.Headers.ETag = EndpointConventions.ETag(record.Version);
        return result;
    }
}
