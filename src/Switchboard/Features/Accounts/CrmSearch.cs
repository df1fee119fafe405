namespace Switchboard.Features.Accounts;

/// <summary>The sorts the account and contact services order by themselves (any other list field sorts by its value: ListCatalogue.Sort).</summary>
public static class CrmSearch
{
    public static readonly IReadOnlyList<string> Sorts = ["name", "createdAt", "updatedAt"];
}
