using Switchboard.Features.CustomFields;

namespace Switchboard.Features.Leads;

public static class LeadsApi
{
    public static IEndpointRouteBuilder MapLeadsApi(this IEndpointRouteBuilder app)
    {
        var leads = app.MapTenantApi("/leads", "Leads").ForApiScope(ApiScopes.Leads);

        leads.MapGet("/", async ([AsParameters] LeadQuery query, LeadService service, HttpRequest request, CancellationToken ct) =>
                (await service.ListAsync(query, ct, CustomFieldQueries.FromQuery(request.Query), Lists.ListCriteria.FromQuery(request.Query))).ToResult(value => Results.Ok(value)))
            .Produces<PagedList<LeadDto>>()
            .ProducesValidationProblem()
            .WithSummary("List leads (agents see only their own). search matches name, company, email and phone digits; custom.<key>=value filters on a custom field; filter.<field>=op:value filters on any field (docs/crm/lists-and-views.md); sort=custom.<key> sorts by one.");

        leads.MapRecordApi<LeadService, LeadDto, LeadWrite>("/leads", "lead");
        leads.MapLeadExport();

        leads.MapPost("/{id:guid}/convert", async (Guid id, [FromBody] LeadConversionWrite body, LeadConversion conversion, CancellationToken ct) =>
                (await conversion.ConvertAsync(id, body, ct)).ToResult(value => Results.Ok(value)))
            .Produces<LeadConversionDto>()
            .ProducesValidationProblem()
            .ProducesProblem(403)
            .ProducesProblem(404)
            .ProducesProblem(409)
            .WithSummary("Converts the lead into an account (linked by id, matched by email domain, or new), a contact and optionally an opportunity, in one transaction. 409 if already converted.");

        return app;
    }
}
