namespace Switchboard.Features.Calls.Compliance;

/// <summary>Works out which IANA time zones a lead may be in, for checking calling hours.</summary>
public static class LeadTimeZones
{
    /// <summary>
    /// The lead's own zone when it is set and valid; otherwise every zone its phone number may be in; empty when none
    /// is known (the caller then falls back to the tenant's zone).
    /// </summary>
    public static IReadOnlyList<string> ResolveTimeZones(string? leadTimeZone, string? e164) =>
        Platform.TimeZones.IsValid(leadTimeZone) ? [leadTimeZone.Trim()] : ForPhoneNumber(e164);

    /// <summary>
    /// The one zone the lead is in, for showing its local time and reading a callback time: null when it is unknown
    /// or when the number may be in several zones (the caller then uses the tenant's).
    /// </summary>
    public static string? ResolveTimeZone(string? leadTimeZone, string? e164) =>
        ResolveTimeZones(leadTimeZone, e164) is [var only] ? only : null;

    /// <summary>The zones a number in E.164 form may be in, as libphonenumber places it, within its own country.</summary>
    /// <remarks>
    /// A landline is placed by its prefix (area code and exchange in the NANP); a number that says nothing about where
    /// it is (many countries' mobiles, toll-free, an exchange the data does not list) gets every zone of its country.
    /// libphonenumber lists those per calling code, so a Jamaican mobile would get all of the NANP's zones and a
    /// Kazakh one all of Russia's: keeping only the zones of the number's own country undoes that.
    /// </remarks>
    public static IReadOnlyList<string> ForPhoneNumber(string? e164)
    {
        var zones = PhoneNumbers.TimeZonesOf(e164);
        return zones.Count == 0 ? zones : CountryZones.Within(PhoneNumbers.RegionOf(e164), zones);
    }
}
