using Switchboard.Features.Calls.Compliance;

namespace Switchboard.Features.Calls;

public sealed record CallingSettingsDto(
    JsonElement CallingHours, int MaxAttemptsPerDay, string InboundOwnerRule, string InboundNoAgent, string? CallScript, int WrapUpMaxSeconds, int AutoDialSeconds);

/// <summary>The body of PATCH /api/v1/calling/settings (JSON merge patch: absent = unchanged).</summary>
public sealed record CallingSettingsWrite : RequestBody
{
    /// <summary>
    /// All seven days, each {start, end} or null. Kept as JSON: <see cref="CallingWindow.Parse"/> reads it day by day so
    /// each mistake is named under its day ("callingHours.monday"), which a typed member would report only as a whole.
    /// </summary>
    public Optional<JsonElement?> CallingHours { get; init; }
    public Optional<int?> MaxAttemptsPerDay { get; init; }
    /// <summary>round-robin or unassigned.</summary>
    public Optional<string?> InboundOwnerRule { get; init; }
    /// <summary>voicemail or hangup.</summary>
    public Optional<string?> InboundNoAgent { get; init; }
    public Optional<string?> CallScript { get; init; }
    /// <summary>The longest wrap-up after a call, in seconds (10–3600): then the call is marked "no-outcome" and the agent is available.</summary>
    public Optional<int?> WrapUpMaxSeconds { get; init; }
    /// <summary>The power dialer's countdown before it dials the next lead after an outcome, in seconds (0–60; 0 = no auto-advance).</summary>
    public Optional<int?> AutoDialSeconds { get; init; }
}

/// <summary>The tenant's calling policy, with defaults until an admin saves one.</summary>
public sealed record CallingPolicy(
    CallingWindow Window, int MaxAttemptsPerDay, string InboundOwnerRule, string InboundNoAgent, string? CallScript,
    int WrapUpMaxSeconds = CallingPolicy.DefaultWrapUpMaxSeconds, int AutoDialSeconds = CallingPolicy.DefaultAutoDialSeconds)
{
    public const int DefaultWrapUpMaxSeconds = 120;
    public const int DefaultAutoDialSeconds = 5;
    public const int MaxAutoDialSeconds = 60;
    public const int MinWrapUpSeconds = 10;
    public const int MaxWrapUpSeconds = 3600;

    public TimeSpan WrapUpMax => TimeSpan.FromSeconds(WrapUpMaxSeconds);
}

[Scoped]
public sealed class CallingSettingsService(SwitchboardDbContext db, TenantContext ctx)
{
    public static bool CanManage(TenantContext ctx) => ctx.Role is TenantRole.Admin or TenantRole.Superadmin;

    public async Task<CallingPolicy> PolicyAsync(CancellationToken ct)
    {
        var stored = await db.CallingSettings.AsNoTracking().SingleOrDefaultAsync(ct);
        if (stored is null) return new CallingPolicy(CallingWindow.Default, 3, "round-robin", "voicemail", null);
        var window = CallingWindow.Parse(stored.CallingHours.RootElement, new ValidationErrors()) ?? CallingWindow.Default;
        return new CallingPolicy(window, stored.MaxAttemptsPerDay, stored.InboundOwnerRule, stored.InboundNoAgent, stored.CallScript, stored.WrapUpMaxSeconds, stored.AutoDialSeconds);
    }

    public async Task<CallingSettingsDto> GetAsync(CancellationToken ct) => ToDto(await PolicyAsync(ct));

    public async Task<Outcome<CallingSettingsDto>> UpdateAsync(CallingSettingsWrite patch, CancellationToken ct)
    {
        if (!CanManage(ctx)) return new Outcome<CallingSettingsDto>.Forbidden("Only administrators can change calling settings.");
        var policy = await PolicyAsync(ct);
        var errors = patch.BindingErrors();
        // null is not a window: Parse names it ("must be an object"), as it does any other non-object.
        var window = patch.CallingHours is { IsSet: true } hours ? CallingWindow.Parse(hours.Value ?? default, errors) : policy.Window;
        var max = patch.MaxAttemptsPerDay;
        if (max is { IsSet: true, Value: not (>= 1 and <= 100) }) errors.Add("maxAttemptsPerDay", "Maximum attempts per lead per day must be between 1 and 100.");
        var owner = patch.InboundOwnerRule.OneOf("inboundOwnerRule", ["round-robin", "unassigned"], errors);
        var noAgent = patch.InboundNoAgent.OneOf("inboundNoAgent", ["voicemail", "hangup"], errors);
        var wrapUp = patch.WrapUpMaxSeconds;
        if (wrapUp is { IsSet: true, Value: not (>= CallingPolicy.MinWrapUpSeconds and <= CallingPolicy.MaxWrapUpSeconds) })
            errors.Add("wrapUpMaxSeconds", $"Longest wrap-up after a call must be between {CallingPolicy.MinWrapUpSeconds} and {CallingPolicy.MaxWrapUpSeconds} seconds.");
        var autoDial = patch.AutoDialSeconds;
        if (autoDial is { IsSet: true, Value: not (>= 0 and <= CallingPolicy.MaxAutoDialSeconds) })
            errors.Add("autoDialSeconds", $"Countdown before the next dial must be between 0 and {CallingPolicy.MaxAutoDialSeconds} seconds (0 turns auto-dial off).");
        var script = patch.CallScript;
        errors.MaxLength("callScript", script.Value, "Call script", 20_000);
        if (!errors.IsValid || window is null) return new Outcome<CallingSettingsDto>.Invalid(errors.ToDictionary());

        var updated = new CallingPolicy(window, max.Value ?? policy.MaxAttemptsPerDay, owner.Value ?? policy.InboundOwnerRule,
            noAgent.Value ?? policy.InboundNoAgent, script.IsSet ? script.Value : policy.CallScript, wrapUp.Value ?? policy.WrapUpMaxSeconds,
            autoDial.Value ?? policy.AutoDialSeconds);
        var stored = await db.CallingSettings.SingleOrDefaultAsync(ct);
        if (stored is null)
        {
            stored = new CallingSettings { TenantId = ctx.RequiredTenantId, CallingHours = updated.Window.ToJson() };
            db.CallingSettings.Add(stored);
        }
        stored.CallingHours = updated.Window.ToJson();
        stored.MaxAttemptsPerDay = updated.MaxAttemptsPerDay;
        stored.InboundOwnerRule = updated.InboundOwnerRule;
        stored.InboundNoAgent = updated.InboundNoAgent;
        stored.CallScript = updated.CallScript;
        stored.WrapUpMaxSeconds = updated.WrapUpMaxSeconds;
        stored.AutoDialSeconds = updated.AutoDialSeconds;
        await db.SaveChangesAsync(ct);
        return ToDto(updated);
    }

    private static CallingSettingsDto ToDto(CallingPolicy p) =>
        new(p.Window.ToJson().RootElement.Clone(), p.MaxAttemptsPerDay, p.InboundOwnerRule, p.InboundNoAgent, p.CallScript, p.WrapUpMaxSeconds, p.AutoDialSeconds);
}
