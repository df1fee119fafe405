namespace Switchboard.Features.Accounts;

/// <summary>The sort the account and contact services order by themselves (every other list field sorts by its value: ListCatalogue.Sort).</summary>
public static class CrmSearch
{
    public static readonly IReadOnlyList<string> Sorts = ["name"];
}
