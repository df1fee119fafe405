namespace Switchboard.Ui.Lists;

/// <summary>
/// How a list's total reads: exact ("3,080"), at least ("1,001+", when no estimate was had) or PostgreSQL's estimate
/// beyond <see cref="PageRequest.ExactCountLimit"/> rows, rounded to what an estimate can claim ("about 1,000,000").
/// </summary>
public static class ListTotals
{
    public static string Count<T>(PagedList<T> list) => Format(list.Total, list);

    /// <summary>The page count the same way: "21", "21+" or "about 20,000".</summary>
    public static string Pages<T>(PagedList<T> list) => Format(Math.Max(1, ((long)list.Total + list.PageSize - 1) / list.PageSize), list);

    private static string Format<T>(long n, PagedList<T> list) =>
        list.TotalIsEstimate ? "about " + TwoSignificantDigits(n).ToString("N0", CultureInfo.InvariantCulture)
        : n.ToString("N0", CultureInfo.InvariantCulture) + (list.TotalIsLowerBound ? "+" : "");

    private static long TwoSignificantDigits(long n)
    {
        if (n < 100) return n;
        var unit = (long)Math.Pow(10, Math.Floor(Math.Log10(n)) - 1);
        return (long)Math.Round((double)n / unit, MidpointRounding.AwayFromZero) * unit;
    }
}
