using Switchboard.Features.Calls;

namespace Switchboard.Features.Leads;

/// <summary>A lead's calls, newest first, as the "Calls" card of the lead page shows them.</summary>
public sealed record CallTimeline(IReadOnlyList<CallDto> Calls, TenantSettings? Tenant, IReadOnlyDictionary<Guid, Ai.AnalysisGlance> Analyses)
{
    /// <summary>A call not yet ended: the page checks once, after the live connection is up, that it missed nothing.</summary>
    public bool HasLiveCall => Calls.Any(c => !CallStatuses.IsTerminal(c.Status));
}
