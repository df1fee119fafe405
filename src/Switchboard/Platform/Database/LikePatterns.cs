namespace Switchboard.Platform.Database;

/// <summary>
/// Search terms as LIKE/ILIKE patterns. Pass <see cref="Escape"/> as the escape character: EF's
/// <c>Like(x, pattern)</c> without one means "no escape character", so an escaped <c>_</c> would match nothing.
/// </summary>
public static class LikePatterns
{
    public const string Escape = "\\";

    /// <summary>"%term%" with the term's own %, _ and \ matched as text.</summary>
    public static string Contains(string term) =>
        "%" + term.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";

    /// <summary>"%digits%" over stored E.164 numbers when the term holds at least three digits (however written); else null.</summary>
    public static string? PhoneDigits(string term)
    {
        var digits = Phones.PhoneNumbers.Digits(term);
        return digits.Length >= 3 ? "%" + digits + "%" : null;
    }
}
