using System.Collections.Concurrent;
using System.Collections.Frozen;

namespace Switchboard.Features.Calls.Compliance;

/// <summary>The time zones of each country, as the tz database's zone.tab lists them.</summary>
/// <remarks>
/// zone.tab ships with the tz data .NET reads zones from on Linux. Without it nothing is narrowed, which errs on the
/// side of more zones and so of fewer calling hours.
/// </remarks>
internal static class CountryZones
{
    private const string ZoneTab = "/usr/share/zoneinfo/zone.tab";

    private static readonly Lazy<FrozenDictionary<string, string[]>> ZonesByCountry = new(Load);

    private static readonly ConcurrentDictionary<(string Country, string Zone), string?> Matches = new();

    /// <summary>
    /// The zones of <paramref name="zones"/> that lie in <paramref name="country"/>, each under its zone.tab name
    /// (libphonenumber still uses some old names, such as Asia/Calcutta for Asia/Kolkata). When none does, the data is
    /// wrong about the country (it places Irish mobiles in London, Moroccan landlines in the Canaries) and the
    /// country's own zones are the answer; when the country is unknown, the zones as given.
    /// </summary>
    public static IReadOnlyList<string> Within(string? country, IReadOnlyList<string> zones)
    {
        var known = zones.Where(Platform.TimeZones.IsValid).Distinct(StringComparer.Ordinal).ToList();
        if (country is null || !ZonesByCountry.Value.TryGetValue(country, out var countryZones))
        {
            return known;
        }

        var within = known
            .Select(zone => Matches.GetOrAdd((country, zone), key => Match(countryZones, key.Zone)))
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return within.Count > 0 ? within : countryZones;
    }

    internal static IReadOnlyDictionary<string, string[]> All => ZonesByCountry.Value;

    private static string? Match(string[] countryZones, string zone)
    {
        if (countryZones.Contains(zone, StringComparer.Ordinal))
        {
            return zone;
        }

        // An old name is a link to the current one: the same rules, all through history.
        var info = TimeZoneInfo.FindSystemTimeZoneById(zone);
        return countryZones.FirstOrDefault(candidate =>
            TimeZoneInfo.TryFindSystemTimeZoneById(candidate, out var other) && other.HasSameRules(info));
    }

    private static FrozenDictionary<string, string[]> Load()
    {
        if (!File.Exists(ZoneTab))
        {
            return FrozenDictionary<string, string[]>.Empty;
        }

        return File.ReadLines(ZoneTab)
            .Where(line => line.Length > 0 && line[0] != '#')
            .Select(line => line.Split('\t'))
            .Where(fields => fields.Length >= 3 && Platform.TimeZones.IsValid(fields[2]))
            .GroupBy(fields => fields[0], fields => fields[2], StringComparer.Ordinal)
            .ToFrozenDictionary(group => group.Key, group => group.ToArray(), StringComparer.Ordinal);
    }
}
