extern alias LibPhoneNumber;

using LibPhoneNumber::PhoneNumbers;

namespace Switchboard.Platform.Phones;

/// <summary>
/// How a stored E.164 number is shown to people: in its national format when it shares the tenant's calling code
/// ((415) 555-0134 to a US or Canadian tenant, 020 7946 0958 to a British one), in international format otherwise.
/// </summary>
public static class PhoneDisplay
{
    public static string Format(string? e164, string tenantCountry)
    {
        if (string.IsNullOrEmpty(e164) || PhoneNumbers.ParseE164(e164) is not { } number)
        {
            return e164 ?? "";
        }

        var home = PhoneNumbers.SupportedRegion(tenantCountry) is { } region ? PhoneNumbers.Util.GetCountryCodeForRegion(region) : 0;
        return PhoneNumbers.Util.Format(number, number.CountryCode == home ? PhoneNumberFormat.NATIONAL : PhoneNumberFormat.INTERNATIONAL);
    }
}
