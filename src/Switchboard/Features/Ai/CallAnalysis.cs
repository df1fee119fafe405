using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Switchboard.Features.Ai;

/// <summary>
/// The analysis of one call's transcript (one row per call, replaced by a re-run). The lists are stored as the API
/// answers them; what the analysis changed in the CRM is found through <see cref="Activities.Activity.SourceCallId"/>,
/// <see cref="Activities.Activity.CompletedByCallId"/> and <see cref="NoteId"/>.
/// </summary>
public sealed class CallAnalysis : ITenantOwned, IVersioned
{
    public Guid TenantId { get; set; }
    public Guid CallId { get; set; }
    public string Status { get; set; } = AnalysisStatuses.Pending;
    public string? Engine { get; set; }
    public string? Model { get; set; }
    /// <summary>Why the rules engine ran although a model was configured (timeout, error, budget), or null.</summary>
    public string? Fallback { get; set; }
    public string? Summary { get; set; }
    public string? Sentiment { get; set; }
    public JsonDocument CustomerRequests { get; set; } = JsonDocument.Parse("[]");
    public JsonDocument Commitments { get; set; } = JsonDocument.Parse("[]");
    public JsonDocument ActionItems { get; set; } = JsonDocument.Parse("[]");
    public JsonDocument Fulfilled { get; set; } = JsonDocument.Parse("[]");
    public JsonDocument? Talk { get; set; }
    /// <summary>Items the engine proposed whose quote is not in the transcript: dropped, and counted here.</summary>
    public int DroppedUngrounded { get; set; }
    /// <summary>The summary note the analysis wrote on the called record.</summary>
    public Guid? NoteId { get; set; }
    public string? Error { get; set; }
    public int Runs { get; set; }
    public DateTimeOffset? UndoneAt { get; set; }
    public Guid? UndoneBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public int Version { get; set; } = 1;
}

public static class AnalysisStatuses
{
    public const string Pending = "pending";
    public const string Completed = "completed";
    public const string Failed = "failed";
}

/// <summary>What became of an action item: a task at once, a suggestion waiting for the agent, or their answer to it.</summary>
public static class ItemStates
{
    public const string Created = "created";
    public const string Suggested = "suggested";
    public const string Accepted = "accepted";
    public const string Dismissed = "dismissed";
    /// <summary>Its task was taken back by "undo AI changes".</summary>
    public const string Undone = "undone";
}

/// <summary>An action item as stored and answered: the engine's item, its state, and the activity it became.</summary>
public sealed record AnalysisItem(
    string Title, string Type, string Priority, DateTimeOffset DueAt, string? DuePhrase, string Owner, double Confidence, string Quote,
    string State, Guid? ActivityId);

public sealed record AnalysisStatement(string Text, string Quote);

public sealed record AnalysisFulfilment(Guid ActivityId, string Subject, string Quote);

internal sealed class CallAnalysisConfiguration : IEntityTypeConfiguration<CallAnalysis>
{
    public void Configure(EntityTypeBuilder<CallAnalysis> e) => e.ToTable("call_analyses").HasKey(a => new { a.TenantId, a.CallId });
}
