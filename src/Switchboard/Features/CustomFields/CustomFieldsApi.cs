namespace Switchboard.Features.CustomFields;

public static class CustomFieldsApi
{
    public static IEndpointRouteBuilder MapCustomFieldsApi(this IEndpointRouteBuilder app)
    {
        var fields = app.MapTenantApi("/custom-fields", "Custom fields");

        fields.MapGet("/", async (string? entity, CustomFieldService service, CancellationToken ct) =>
                (await service.ListAsync(entity, ct)).ToResult(list => Results.Ok(list)))
            .Produces<IReadOnlyList<CustomFieldDto>>()
            .ProducesValidationProblem()
            .WithSummary("The tenant's custom field definitions (retired ones included, active = false), optionally of one entity.");

        fields.MapGet("/{id:guid}", async (Guid id, CustomFieldService service, CancellationToken ct) =>
                await service.FindAsync(id, ct) is { } field ? Results.Ok(field) : Problems.NotFound("The custom field"))
            .Produces<CustomFieldDto>()
            .ProducesProblem(404);

        fields.MapPost("/", async ([FromBody] CustomFieldWrite body, CustomFieldService service, CancellationToken ct) =>
                (await service.CreateAsync(body, ct)).ToResult(field => Results.Created($"/api/v1/custom-fields/{field.Id}", field)))
            .Produces<CustomFieldDto>(201)
            .ProducesValidationProblem()
            .WithSummary("Adds a field (admins). key is a camelCase identifier, unique per entity, and cannot change later.");

        fields.MapPatch("/{id:guid}", async (Guid id, [FromBody] CustomFieldWrite patch, CustomFieldService service, CancellationToken ct) =>
                (await service.UpdateAsync(id, patch, ct)).ToResult(field => Results.Ok(field)))
            .Accepts<CustomFieldWrite>("application/merge-patch+json", "application/json")
            .Produces<CustomFieldDto>()
            .ProducesValidationProblem()
            .ProducesProblem(404).ProducesProblem(409)
            .WithSummary("Changes label, required, options, position or active (admins). entity, key and type are fixed.");

        fields.MapDelete("/{id:guid}", async (Guid id, CustomFieldService service, CancellationToken ct) =>
                (await service.RetireAsync(id, ct)).ToResult(field => Results.Ok(field)))
            .Produces<CustomFieldDto>()
            .ProducesProblem(404)
            .WithSummary("Retires the field (admins): stored values are kept, it is no longer shown or required.");

        return app;
    }
}
