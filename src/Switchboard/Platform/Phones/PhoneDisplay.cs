namespace Switchboard.Platform.Phones;

/// <summary>
/// How a stored E.164 number is shown to people: North American numbers as (415) 555-0134 to a tenant in
/// the NANP, every other number as +CC NSN, which is unambiguous without per-country grouping rules.
/// </summary>
public static class PhoneDisplay
{
    public static string Format(string? e164, string tenantCountry)
    {
        if (string.IsNullOrEmpty(e164) || !e164.StartsWith('+')) return e164 ?? "";
        var digits = e164[1..];
        var callingCode = CallingCodes.MatchCallingCode(digits);
        if (callingCode is null) return e164;
        var national = digits[callingCode.Length..];
        if (callingCode == CallingCodes.Nanp && national.Length == 10)
        {
            var local = $"({national[..3]}) {national[3..6]}-{national[6..]}";
            return CallingCodes.PlanForCountry(tenantCountry)?.CallingCode == CallingCodes.Nanp ? local : $"+1 {local}";
        }
        return $"+{callingCode} {national}";
    }
}
