using Switchboard.Features.Accounts;
using Switchboard.Features.Contacts;
using Switchboard.Features.CustomFields;
using Switchboard.Features.Export;
using Switchboard.Features.Leads;
using Switchboard.Features.Modules;
using Switchboard.Features.Opportunities;
using Switchboard.Features.Views;

namespace Switchboard.Features.Lists;

/// <summary>What every entity list shares beyond its own endpoint: saved views (/api/v1/views) and CSV export (/api/v1/{entity}/export).</summary>
public static class ListsComposition
{
    public static IServiceCollection AddListsAndViews(this IServiceCollection services)
    {
        return services;
    }

    public static IEndpointRouteBuilder MapListsAndViews(this IEndpointRouteBuilder app)
    {
        var views = app.MapTenantApi("/views", "Views");
        views.MapGet("/", async (string? entity, ViewService service, CancellationToken ct) =>
                (await service.ListAsync(entity, ct)).ToResult(value => Results.Ok(value)))
            .Produces<ViewList>()
            .ProducesValidationProblem()
            .WithSummary("The saved views the caller may use: their own and the shared ones, of one list (entity=lead|account|contact|opportunity) or all.");
        views.MapRecordApi<ViewService, ViewDto, ViewWrite>("/views", "view",
            patchSummary: "Merge patch of name, shared or definition. A shared view is changed only by its owner, an admin or a manager; a private one only by its owner.",
            deleteSummary: "Deletes the view (its owner; an admin or manager for a shared view).");

        const string exportSummary =
            "Streams the list as CSV (UTF-8, header row, RFC 4180) with the same search, filter.<field>=op:value, sort and columns as the list; viewId starts from a saved view. No row cap. Admins and managers only; audited.";
        var export = app.MapTenantApi("", "Export");
        export.MapGet("/leads/export", async ([AsParameters] LeadQuery query, Guid? viewId, HttpContext http, ListExports exports, LeadService leads, CancellationToken ct) =>
                (await exports.LeadsAsync(http.Response, query, CustomFieldQueries.FromQuery(http.Request.Query), ListCriteria.FromQuery(http.Request.Query), viewId, leads, ct)).ToResult())
            .Produces(200, contentType: "text/csv").ProducesValidationProblem().ProducesProblem(404).WithSummary(exportSummary);
        export.MapGet("/accounts/export", async ([AsParameters] AccountQuery query, Guid? viewId, HttpContext http, ListExports exports, AccountService accounts, CancellationToken ct) =>
                (await exports.AccountsAsync(http.Response, query, ListCriteria.FromQuery(http.Request.Query), viewId, accounts, ct)).ToResult())
            .Produces(200, contentType: "text/csv").ProducesValidationProblem().ProducesProblem(404).WithSummary(exportSummary);
        export.MapGet("/contacts/export", async ([AsParameters] ContactQuery query, Guid? viewId, HttpContext http, ListExports exports, ContactService contacts, CancellationToken ct) =>
                (await exports.ContactsAsync(http.Response, query, ListCriteria.FromQuery(http.Request.Query), viewId, contacts, ct)).ToResult())
            .Produces(200, contentType: "text/csv").ProducesValidationProblem().ProducesProblem(404).WithSummary(exportSummary);
        export.MapGet("/opportunities/export", async ([AsParameters] OpportunityQuery query, Guid? viewId, HttpContext http, ListExports exports, OpportunityService opportunities, CancellationToken ct) =>
                (await exports.OpportunitiesAsync(http.Response, query, ListCriteria.FromQuery(http.Request.Query), viewId, opportunities, ct)).ToResult())
            .Produces(200, contentType: "text/csv").ProducesValidationProblem().ProducesProblem(404).WithSummary(exportSummary)
            .RequireModule(ModuleNames.Opportunities);
        return app;
    }
}
