namespace Switchboard.Features.Calls;

public sealed record PresenceDto(Guid UserId, string State, DateTimeOffset Since, Guid? CurrentCallId);

public sealed record PresenceRequest : RequestBody
{
    /// <summary>available or away (on-call and wrap-up follow the agent's calls).</summary>
    public Optional<string?> State { get; init; }

    public static PresenceRequest To(string? state) => new() { State = Optional.Of(state) };
}

/// <summary>
/// Agent presence. Agents set available or away themselves; calls move them to on-call and wrap-up, and
/// recording the outcome makes them available again. Changes are announced live.
/// </summary>
[Scoped]
public sealed class PresenceService(SwitchboardDbContext db, TenantContext ctx, RealtimeEvents realtime, TimeProvider clock)
{
    public async Task<IReadOnlyList<PresenceDto>> ListAsync(CancellationToken ct) =>
        await db.AgentPresence.AsNoTracking().OrderBy(p => p.UserId)
            .Select(p => new PresenceDto(p.UserId, p.State, p.Since, p.CurrentCallId)).ToListAsync(ct);

    public async Task<Outcome<PresenceDto>> SetOwnAsync(PresenceRequest request, CancellationToken ct)
    {
        var errors = request.BindingErrors();
        if (request.State is { Error: null, Value: not (PresenceStates.Available or PresenceStates.Away) })
            errors.Add("state", "state must be 'available' or 'away'; on-call and wrap-up follow your calls.");
        if (!errors.IsValid || request.State.Value is not { } state) return new Outcome<PresenceDto>.Invalid(errors.ToDictionary());
        var userId = ctx.RequiredUserId;
        if (!await db.Memberships.AnyAsync(m => m.UserId == userId && m.IsActive, ct))
            return new Outcome<PresenceDto>.Forbidden("Only members of this tenant have a presence here.");
        var presence = await db.AgentPresence.SingleOrDefaultAsync(p => p.UserId == userId, ct);
        var now = clock.GetUtcNow();
        if (presence is null)
        {
            presence = new AgentPresence { UserId = userId, State = state, Since = now };
            db.AgentPresence.Add(presence);
        }
        else if (presence.State != state)
        {
            presence.State = state;
            presence.Since = now;
            presence.CurrentCallId = null;
        }
        await using var tx = await db.BeginUnitOfWorkAsync(ct);
        await db.SaveChangesAsync(ct);
        await realtime.PublishAsync(ctx.RequiredTenantId, "presence.changed", new { userId, state = presence.State, since = presence.Since }, ct);
        await tx.CommitAsync(ct);
        return new PresenceDto(userId, presence.State, presence.Since, presence.CurrentCallId);
    }
}

public static class PresenceApi
{
    public static IEndpointRouteBuilder MapPresenceApi(this IEndpointRouteBuilder app)
    {
        var presence = app.MapTenantApi("/presence", "Calls").RefuseApiKeys();
        presence.MapGet("/", async (PresenceService service, CancellationToken ct) => Results.Ok(await service.ListAsync(ct)))
            .Produces<IReadOnlyList<PresenceDto>>()
            .WithSummary("Every agent's presence: available, on-call, wrap-up or away, and since when.");
        presence.MapPut("/me", async ([FromBody] PresenceRequest body, PresenceService service, CancellationToken ct) =>
                (await service.SetOwnAsync(body, ct)).ToResult(value => Results.Ok(value)))
            .Produces<PresenceDto>()
            .ProducesValidationProblem()
            .WithSummary("Set your own presence to available or away.");
        return app;
    }
}
