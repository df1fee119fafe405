using Switchboard.Platform.Protection;

namespace Switchboard.Features.IpBlocks;

public static class IpBlocksApi
{
    /// <summary>The platform IP blocklist (superadmin; ADR 0046).</summary>
    public static IEndpointRouteBuilder MapIpBlocksApi(this IEndpointRouteBuilder app)
    {
        var blocks = app.MapPlatformApi("/ip-blocks", "IP blocks");

        blocks.MapGet("/", async (IpBlockService service, CancellationToken ct) =>
                (await service.ListAsync(ct)).ToResult(value => Results.Ok(value)))
            .Produces<IReadOnlyList<IpBlockDto>>()
            .WithSummary("The newest 200 IP blocks, manual and automatic, in force or ended, with reason, source and expiry (superadmin).");

        blocks.MapPost("/", async ([FromBody] IpBlockCreate body, IpBlockService service, CancellationToken ct) =>
                (await service.CreateAsync(body, ct)).ToResult(value => Results.Created($"/api/v1/ip-blocks/{value.Id}", value)))
            .Produces<IpBlockDto>(201)
            .ProducesValidationProblem()
            .WithSummary("Blocks an address or CIDR block from everything, with a reason and an optional expiry (superadmin; audited).");

        blocks.MapDelete("/{id:guid}", async (Guid id, IpBlockService service, CancellationToken ct) =>
                (await service.LiftAsync(id, ct)).ToResult(_ => Results.NoContent()))
            .Produces(204)
            .ProducesProblem(404)
            .ProducesProblem(409)
            .WithSummary("Lifts a block in force (superadmin; audited). The block stays in the list as lifted.");

        return app;
    }
}
