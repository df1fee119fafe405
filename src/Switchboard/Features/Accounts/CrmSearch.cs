namespace Switchboard.Features.Accounts;

/// <summary>Search terms as LIKE patterns, shared by the account and contact lists.</summary>
public static class CrmSearch
{
    public static string Contains(string term) => Platform.Database.LikePatterns.Contains(term);

    /// <summary>A pattern over stored E.164 numbers when the term has at least three digits.</summary>
    public static string? PhoneDigits(string term)
    {
        var digits = Platform.Phones.PhoneNumbers.Digits(term);
        return digits.Length >= 3 ? "%" + digits + "%" : null;
    }

    public static readonly IReadOnlyList<string> Sorts = ["name", "createdAt", "updatedAt"];

    public static void ValidateSort(string sort, Platform.Web.ValidationErrors errors)
    {
        if (!Sorts.Contains(sort.TrimStart('-')))
            errors.Add("sort", $"'{sort}' is not a sortable field. Use one of: {string.Join(", ", Sorts)} (prefix '-' for descending).");
    }
}
