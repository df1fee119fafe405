using Switchboard.Features.Leads;

namespace Switchboard.Ui.Lists;

/// <summary>The toolbar of a list page. <see cref="Owners"/> is null when the user sees only their own records.</summary>
public sealed record ListFilters(
    string FormId, string BasePath, string ResultsTarget, string SearchLabel, string Placeholder,
    string? Q, Guid? Owner, IReadOnlyList<OwnerOption>? Owners);
