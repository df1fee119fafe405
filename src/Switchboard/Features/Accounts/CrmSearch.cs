namespace Switchboard.Features.Accounts;

/// <summary>The sorts the account and contact lists share.</summary>
public static class CrmSearch
{
    public static readonly IReadOnlyList<string> Sorts = ["name", "createdAt", "updatedAt"];

    public static void ValidateSort(string sort, Platform.Web.ValidationErrors errors)
    {
        if (!Sorts.Contains(sort.TrimStart('-')))
            errors.Add("sort", $"'{sort}' is not a sortable field. Use one of: {string.Join(", ", Sorts)} (prefix '-' for descending).");
    }
}
