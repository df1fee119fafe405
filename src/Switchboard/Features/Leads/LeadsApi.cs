using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Switchboard.Platform.Web;

namespace Switchboard.Features.Leads;

public static class LeadsApi
{
    public static IEndpointRouteBuilder MapLeadsApi(this IEndpointRouteBuilder app)
    {
        var leads = app.MapTenantApi("/leads", "Leads");

        leads.MapGet("/", async ([AsParameters] LeadQuery query, LeadService service, CancellationToken ct) =>
                (await service.ListAsync(query, ct)).ToResult(value => Results.Ok(value)))
            .Produces<PagedList<LeadDto>>()
            .ProducesValidationProblem()
            .WithSummary("List leads (agents see only their own). search matches name, company, email and phone digits.");

        leads.MapGet("/{id:guid}", async (Guid id, LeadService service, HttpResponse response, CancellationToken ct) =>
        {
            if (await service.FindAsync(id, ct) is not { } lead) return Problems.NotFound("The lead");
            response.Headers.ETag = EndpointConventions.ETag(lead.Version);
            return Results.Ok(lead);
        })
            .Produces<LeadDto>()
            .ProducesProblem(404);

        leads.MapPost("/", async ([FromBody] JsonElement body, LeadService service, HttpResponse response, CancellationToken ct) =>
        {
            var outcome = await service.CreateAsync(body, ct);
            if (outcome is not Outcome<LeadDto>.Ok { Value: var lead }) return outcome.ToProblem();
            response.Headers.ETag = EndpointConventions.ETag(lead.Version);
            return Results.Created($"/api/v1/leads/{lead.Id}", lead);
        })
            .Accepts<LeadWrite>("application/json")
            .Produces<LeadDto>(201)
            .ProducesValidationProblem();

        leads.MapPatch("/{id:guid}", async (Guid id, [FromBody] JsonElement patch, LeadService service, HttpRequest request, HttpResponse response, CancellationToken ct) =>
        {
            var ifMatch = request.IfMatchVersion();
            if (ifMatch == -1) return Problems.PreconditionFailed("If-Match must be an ETag returned by this API, such as \"3\".");
            var outcome = await service.UpdateAsync(id, patch, ifMatch, ct);
            if (outcome is not Outcome<LeadDto>.Ok { Value: var lead }) return outcome.ToProblem();
            response.Headers.ETag = EndpointConventions.ETag(lead.Version);
            return Results.Ok(lead);
        })
            .Accepts<LeadWrite>("application/merge-patch+json", "application/json")
            .Produces<LeadDto>()
            .ProducesValidationProblem()
            .ProducesProblem(404).ProducesProblem(409).ProducesProblem(412)
            .WithSummary("JSON merge patch. Send the lead's version (or an If-Match header) to refuse stale updates.");

        leads.MapDelete("/{id:guid}", async (Guid id, LeadService service, CancellationToken ct) =>
                (await service.DeleteAsync(id, ct)).ToResult(_ => Results.NoContent()))
            .Produces(204)
            .ProducesProblem(404);

        return app;
    }
}
