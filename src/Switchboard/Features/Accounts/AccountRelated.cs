using Switchboard.Ui.Lists;
using Switchboard.Features.Contacts;
using Switchboard.Features.Modules;
using Switchboard.Features.Opportunities;

namespace Switchboard.Features.Accounts;

/// <summary>One of an account's records on its page: the first few the caller may see, how many there are, and where the whole list is.</summary>
/// <param name="Count">The total as the lists show it (<see cref="ListTotals"/>).</param>
public sealed record RelatedRows<T>(IReadOnlyList<T> Rows, int Total, string Count, string ListUrl)
{
    public bool HasMore => Total > Rows.Count;
}

/// <summary>One opportunity on its account's page: its stage's name, amount and expected close.</summary>
public sealed record OpportunityRow(OpportunityDto Opportunity, string StageName)
{
    public string Amount => Opportunity.Amount is { } a
        ? $"{Opportunity.Currency} {a.ToString(a % 1 == 0 ? "N0" : "N2", CultureInfo.InvariantCulture)}"
        : "—";

    public string ExpectedClose => Opportunity.ExpectedClose?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "—";
}

/// <summary>
/// What the account page lists beside the account: its contacts and, while the opportunities module is on, its
/// opportunities, each through its own service, so the caller sees only what they may (an agent: their own).
/// </summary>
[Scoped]
public sealed class AccountRelated(ContactService contacts, OpportunityService opportunities, PipelineService pipelines, ModuleSettings modules)
{
    /// <summary>How many rows of each a page shows; the rest are behind the "View all" link.</summary>
    public const int Shown = 10;

    public async Task<RelatedRows<ContactRow>> ContactsAsync(Guid accountId, IReadOnlyList<OwnerOption> owners, TenantSettings? tenant, CancellationToken ct)
    {
        var url = $"/contacts?filter.accountId=eq:{accountId}";
        if (await contacts.ListAsync(new ContactQuery(null, null, accountId, "name", 1, Shown), ct) is not Outcome<PagedList<ContactDto>>.Ok ok)
            return new([], 0, "0", url);
        var rows = ok.Value.Items.Select(c => new ContactRow(c, LeadOwners.NameOf(owners, c.OwnerId), tenant)).ToList();
        return new(rows, ok.Value.Total, ListTotals.Count(ok.Value), url);
    }

    /// <summary>The account's opportunities, newest first; null while the tenant has the module off (the page shows no card).</summary>
    public async Task<RelatedRows<OpportunityRow>?> OpportunitiesAsync(Guid accountId, CancellationToken ct)
    {
        if (!await modules.IsEnabledAsync(ModuleNames.Opportunities, ct)) return null;
        var url = $"/opportunities/list?filter.accountId=eq:{accountId}";
        var query = new OpportunityQuery(null, null, null, null, accountId, null, "-createdAt", 1, Shown);
        if (await opportunities.ListAsync(query, ct) is not Outcome<PagedList<OpportunityDto>>.Ok ok) return new([], 0, "0", url);
        var stages = (await pipelines.ListAsync(ct)).SelectMany(p => p.Stages).ToDictionary(s => s.Id, s => s.Name);
        var rows = ok.Value.Items.Select(o => new OpportunityRow(o, stages.GetValueOrDefault(o.StageId, "—"))).ToList();
        return new(rows, ok.Value.Total, ListTotals.Count(ok.Value), url);
    }
}
