using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Switchboard.Features.Ai.Llm;

/// <summary>One request to a model, or one the month's budget stopped: what for, which model, how it ended, its tokens.</summary>
public sealed class AiUsage : ITenantOwned
{
    public Guid TenantId { get; set; }
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public DateTimeOffset At { get; set; }
    public required string Purpose { get; set; }
    public required string Source { get; set; }
    public required string Model { get; set; }
    public required string Outcome { get; set; }
    public long InputTokens { get; set; }
    public long OutputTokens { get; set; }
    public int DurationMs { get; set; }
    public Guid? CallId { get; set; }
}

public static class LlmPurposes
{
    public const string Analysis = "analysis";
    public const string CallPrep = "call-prep";
}

public static class LlmOutcomes
{
    public const string Ok = "ok";
    public const string Timeout = "timeout";
    public const string Error = "error";
    public const string Invalid = "invalid";
    public const string Budget = "budget";
}

/// <summary>This calendar month's use of models (UTC), as the AI settings page and API show it.</summary>
public sealed record AiUsageDto(DateOnly Month, long TokensUsed, long TokenBudget, int Requests, int Fallbacks, IReadOnlyList<AiUsageByPurpose> ByPurpose);

public sealed record AiUsageByPurpose(string Purpose, int Requests, long InputTokens, long OutputTokens);

/// <summary>
/// The ledger the budget is kept with. A request is written down as soon as it ends, in its own save, so an analysis
/// that fails afterwards still counts its tokens. The budget is checked before each request; requests running at the
/// same moment may overshoot it by at most their own answers (bounded by AI:MaxOutputTokens each).
/// </summary>
[Scoped]
public sealed class LlmUsageLedger(SwitchboardDbContext db, TenantContext ctx, TimeProvider clock)
{
    public static DateTimeOffset MonthStart(DateTimeOffset now) => new(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);

    public async Task<long> TokensThisMonthAsync(CancellationToken ct)
    {
        var since = MonthStart(clock.GetUtcNow());
        return await db.Set<AiUsage>().Where(u => u.At >= since).SumAsync(u => u.InputTokens + u.OutputTokens, ct);
    }

    public async Task RecordAsync(string purpose, LlmTarget target, string outcome, (long Input, long Output) tokens, TimeSpan took, Guid? callId, CancellationToken ct)
    {
        var usage = new AiUsage
        {
            TenantId = ctx.RequiredTenantId, At = clock.GetUtcNow(), Purpose = purpose, Source = target.Source, Model = target.Model,
            Outcome = outcome, InputTokens = tokens.Input, OutputTokens = tokens.Output, DurationMs = (int)Math.Min(int.MaxValue, took.TotalMilliseconds), CallId = callId,
        };
        db.Add(usage);
        // Nothing else is tracked when an engine runs (it runs before its unit of work); the row is saved on its own.
        await db.SaveChangesAsync(CancellationToken.None);
        db.Entry(usage).State = EntityState.Detached;
    }

    public async Task<AiUsageDto> ThisMonthAsync(long budget, CancellationToken ct)
    {
        var month = MonthStart(clock.GetUtcNow());
        var rows = await db.Set<AiUsage>().Where(u => u.At >= month)
            .GroupBy(u => new { u.Purpose, Ok = u.Outcome == LlmOutcomes.Ok })
            .Select(g => new { g.Key.Purpose, g.Key.Ok, Requests = g.Count(), Input = g.Sum(u => u.InputTokens), Output = g.Sum(u => u.OutputTokens) })
            .ToListAsync(ct);
        var byPurpose = rows.GroupBy(r => r.Purpose).OrderBy(g => g.Key)
            .Select(g => new AiUsageByPurpose(g.Key, g.Sum(r => r.Requests), g.Sum(r => r.Input), g.Sum(r => r.Output))).ToList();
        return new AiUsageDto(DateOnly.FromDateTime(month.UtcDateTime), rows.Sum(r => r.Input + r.Output), budget,
            rows.Sum(r => r.Requests), rows.Where(r => !r.Ok).Sum(r => r.Requests), byPurpose);
    }
}

internal sealed class AiUsageConfiguration : IEntityTypeConfiguration<AiUsage>
{
    public void Configure(EntityTypeBuilder<AiUsage> e)
    {
        e.ToTable("ai_usage").HasKey(u => new { u.TenantId, u.Id });
        e.Property(u => u.Id).ValueGeneratedNever();
    }
}
