namespace Switchboard.Platform.Phones;

/// <summary>
/// How numbers are written in one country: its calling code, the trunk prefix dialled before a national
/// number (dropped in E.164), and the possible lengths of the national significant number (NSN).
/// </summary>
/// <remarks>
/// Lengths follow libphonenumber's "possible lengths" (PhoneNumberMetadata), so a length check here means
/// "could be a number", not "is assigned". Where a plan has gaps (GB has no 8-digit NSNs) the range covers
/// them: rejecting a real number costs more than accepting a typo.
/// </remarks>
internal sealed record NumberingPlan(
    string Country,
    string CallingCode,
    string? TrunkPrefix,
    int MinLength,
    int MaxLength,
    bool KeepsLeadingZero = false);

internal static class CallingCodes
{
    public const string Nanp = "1";

    private static readonly NumberingPlan[] Plans =
    [
        // The North American Numbering Plan: one code, trunk "1", NSN = 3-digit area code + 7 digits.
        // US comes first so that +1 numbers are validated against the shared NANP rule.
        new("US", "1", "1", 10, 10),
        new("CA", "1", "1", 10, 10),
        new("AG", "1", "1", 10, 10),
        new("AI", "1", "1", 10, 10),
        new("AS", "1", "1", 10, 10),
        new("BB", "1", "1", 10, 10),
        new("BM", "1", "1", 10, 10),
        new("BS", "1", "1", 10, 10),
        new("DM", "1", "1", 10, 10),
        new("DO", "1", "1", 10, 10),
        new("GD", "1", "1", 10, 10),
        new("GU", "1", "1", 10, 10),
        new("JM", "1", "1", 10, 10),
        new("KN", "1", "1", 10, 10),
        new("KY", "1", "1", 10, 10),
        new("LC", "1", "1", 10, 10),
        new("MP", "1", "1", 10, 10),
        new("MS", "1", "1", 10, 10),
        new("PR", "1", "1", 10, 10),
        new("SX", "1", "1", 10, 10),
        new("TC", "1", "1", 10, 10),
        new("TT", "1", "1", 10, 10),
        new("VC", "1", "1", 10, 10),
        new("VG", "1", "1", 10, 10),
        new("VI", "1", "1", 10, 10),

        new("GB", "44", "0", 7, 10),
        new("IE", "353", "0", 7, 10),
        new("DE", "49", "0", 4, 13),
        new("FR", "33", "0", 9, 9),
        new("ES", "34", null, 9, 9),
        // Italy has no trunk prefix: the leading 0 of a landline is part of the number, also after +39.
        new("IT", "39", null, 6, 12, KeepsLeadingZero: true),
        new("PT", "351", null, 9, 9),
        new("NL", "31", "0", 5, 11),
        new("BE", "32", "0", 8, 9),
        new("LU", "352", null, 4, 11),
        new("CH", "41", "0", 9, 12),
        new("AT", "43", "0", 4, 13),
        new("DK", "45", null, 8, 8),
        new("SE", "46", "0", 6, 10),
        new("NO", "47", null, 5, 8),
        new("FI", "358", "0", 5, 12),
        new("IS", "354", null, 7, 9),
        new("PL", "48", null, 6, 9),
        new("CZ", "420", null, 9, 12),
        new("SK", "421", "0", 6, 9),
        new("HU", "36", "06", 8, 9),
        new("RO", "40", "0", 6, 9),
        new("BG", "359", "0", 6, 9),
        new("GR", "30", null, 10, 10),
        new("TR", "90", "0", 7, 10),
        // Russia and Kazakhstan share +7; both dial "8" before a national number.
        new("RU", "7", "8", 10, 10),
        new("KZ", "7", "8", 10, 10),
        new("UA", "380", "0", 9, 9),
        new("IL", "972", "0", 4, 12),
        new("AE", "971", "0", 5, 12),
        new("SA", "966", "0", 9, 10),
        new("EG", "20", "0", 8, 10),
        new("ZA", "27", "0", 5, 9),
        new("NG", "234", "0", 7, 12),
        new("KE", "254", "0", 7, 10),
        new("MA", "212", "0", 9, 9),
        new("IN", "91", "0", 8, 13),
        new("PK", "92", "0", 8, 12),
        new("BD", "880", "0", 6, 10),
        new("CN", "86", "0", 7, 12),
        new("HK", "852", null, 5, 11),
        new("TW", "886", "0", 7, 10),
        new("JP", "81", "0", 8, 13),
        new("KR", "82", "0", 5, 13),
        new("SG", "65", null, 8, 11),
        new("MY", "60", "0", 8, 10),
        new("TH", "66", "0", 8, 10),
        new("VN", "84", "0", 7, 10),
        new("ID", "62", "0", 7, 12),
        new("PH", "63", "0", 6, 13),
        new("AU", "61", "0", 5, 10),
        new("NZ", "64", "0", 8, 10),
        // Mexico dropped its trunk prefixes (01, 044, 045) in 2019; every number is now 10 digits.
        new("MX", "52", null, 10, 10),
        new("BR", "55", "0", 8, 11),
        // Argentine mobiles carry a 9 after +54 in international form, making 11 digits.
        new("AR", "54", "0", 10, 11),
        new("CL", "56", null, 9, 11),
        new("CO", "57", "0", 8, 11),
        new("PE", "51", "0", 8, 9),
    ];

    /// <summary>Every assigned ITU-T E.164 country code, with the region E.164 numbers under it default to.</summary>
    /// <remarks>A null region marks a non-geographic code (international freephone, satellite, networks).</remarks>
    private static readonly Dictionary<string, string?> RegionsByCallingCode = new(StringComparer.Ordinal)
    {
        ["1"] = "US", ["7"] = "RU",
        ["20"] = "EG", ["27"] = "ZA", ["30"] = "GR", ["31"] = "NL", ["32"] = "BE", ["33"] = "FR",
        ["34"] = "ES", ["36"] = "HU", ["39"] = "IT", ["40"] = "RO", ["41"] = "CH", ["43"] = "AT",
        ["44"] = "GB", ["45"] = "DK", ["46"] = "SE", ["47"] = "NO", ["48"] = "PL", ["49"] = "DE",
        ["51"] = "PE", ["52"] = "MX", ["53"] = "CU", ["54"] = "AR", ["55"] = "BR", ["56"] = "CL",
        ["57"] = "CO", ["58"] = "VE", ["60"] = "MY", ["61"] = "AU", ["62"] = "ID", ["63"] = "PH",
        ["64"] = "NZ", ["65"] = "SG", ["66"] = "TH", ["81"] = "JP", ["82"] = "KR", ["84"] = "VN",
        ["86"] = "CN", ["90"] = "TR", ["91"] = "IN", ["92"] = "PK", ["93"] = "AF", ["94"] = "LK",
        ["95"] = "MM", ["98"] = "IR",
        ["211"] = "SS", ["212"] = "MA", ["213"] = "DZ", ["216"] = "TN", ["218"] = "LY",
        ["220"] = "GM", ["221"] = "SN", ["222"] = "MR", ["223"] = "ML", ["224"] = "GN",
        ["225"] = "CI", ["226"] = "BF", ["227"] = "NE", ["228"] = "TG", ["229"] = "BJ",
        ["230"] = "MU", ["231"] = "LR", ["232"] = "SL", ["233"] = "GH", ["234"] = "NG",
        ["235"] = "TD", ["236"] = "CF", ["237"] = "CM", ["238"] = "CV", ["239"] = "ST",
        ["240"] = "GQ", ["241"] = "GA", ["242"] = "CG", ["243"] = "CD", ["244"] = "AO",
        ["245"] = "GW", ["246"] = "IO", ["247"] = "AC", ["248"] = "SC", ["249"] = "SD",
        ["250"] = "RW", ["251"] = "ET", ["252"] = "SO", ["253"] = "DJ", ["254"] = "KE",
        ["255"] = "TZ", ["256"] = "UG", ["257"] = "BI", ["258"] = "MZ", ["260"] = "ZM",
        ["261"] = "MG", ["262"] = "RE", ["263"] = "ZW", ["264"] = "NA", ["265"] = "MW",
        ["266"] = "LS", ["267"] = "BW", ["268"] = "SZ", ["269"] = "KM", ["290"] = "SH",
        ["291"] = "ER", ["297"] = "AW", ["298"] = "FO", ["299"] = "GL",
        ["350"] = "GI", ["351"] = "PT", ["352"] = "LU", ["353"] = "IE", ["354"] = "IS",
        ["355"] = "AL", ["356"] = "MT", ["357"] = "CY", ["358"] = "FI", ["359"] = "BG",
        ["370"] = "LT", ["371"] = "LV", ["372"] = "EE", ["373"] = "MD", ["374"] = "AM",
        ["375"] = "BY", ["376"] = "AD", ["377"] = "MC", ["378"] = "SM", ["380"] = "UA",
        ["381"] = "RS", ["382"] = "ME", ["383"] = "XK", ["385"] = "HR", ["386"] = "SI",
        ["387"] = "BA", ["389"] = "MK",
        ["420"] = "CZ", ["421"] = "SK", ["423"] = "LI",
        ["500"] = "FK", ["501"] = "BZ", ["502"] = "GT", ["503"] = "SV", ["504"] = "HN",
        ["505"] = "NI", ["506"] = "CR", ["507"] = "PA", ["508"] = "PM", ["509"] = "HT",
        ["590"] = "GP", ["591"] = "BO", ["592"] = "GY", ["593"] = "EC", ["594"] = "GF",
        ["595"] = "PY", ["596"] = "MQ", ["597"] = "SR", ["598"] = "UY", ["599"] = "CW",
        ["670"] = "TL", ["672"] = "NF", ["673"] = "BN", ["674"] = "NR", ["675"] = "PG",
        ["676"] = "TO", ["677"] = "SB", ["678"] = "VU", ["679"] = "FJ", ["680"] = "PW",
        ["681"] = "WF", ["682"] = "CK", ["683"] = "NU", ["685"] = "WS", ["686"] = "KI",
        ["687"] = "NC", ["688"] = "TV", ["689"] = "PF", ["690"] = "TK", ["691"] = "FM",
        ["692"] = "MH",
        ["800"] = null, ["808"] = null,
        ["850"] = "KP", ["852"] = "HK", ["853"] = "MO", ["855"] = "KH", ["856"] = "LA",
        ["870"] = null, ["878"] = null,
        ["880"] = "BD",
        ["881"] = null, ["882"] = null, ["883"] = null,
        ["886"] = "TW",
        ["888"] = null,
        ["960"] = "MV", ["961"] = "LB", ["962"] = "JO", ["963"] = "SY", ["964"] = "IQ",
        ["965"] = "KW", ["966"] = "SA", ["967"] = "YE", ["968"] = "OM", ["970"] = "PS",
        ["971"] = "AE", ["972"] = "IL", ["973"] = "BH", ["974"] = "QA", ["975"] = "BT",
        ["976"] = "MN", ["977"] = "NP",
        ["979"] = null,
        ["992"] = "TJ", ["993"] = "TM", ["994"] = "AZ", ["995"] = "GE", ["996"] = "KG",
        ["998"] = "UZ",
    };

    /// <summary>NANP area codes outside the United States; any other +1 area code is taken as US.</summary>
    private static readonly Dictionary<string, string> NanpRegionsByAreaCode = BuildNanpRegions(
        ("CA", "204 226 236 249 250 257 263 289 306 343 354 365 367 368 382 403 416 418 428 431 437 438 " +
               "450 468 474 506 514 519 548 579 581 584 587 600 604 613 639 647 672 683 705 709 742 753 " +
               "778 780 782 807 819 825 867 873 879 902 905 942"),
        ("AG", "268"), ("AI", "264"), ("AS", "684"), ("BB", "246"), ("BM", "441"), ("BS", "242"),
        ("DM", "767"), ("DO", "809 829 849"), ("GD", "473"), ("GU", "671"), ("JM", "658 876"),
        ("KN", "869"), ("KY", "345"), ("LC", "758"), ("MP", "670"), ("MS", "664"), ("PR", "787 939"),
        ("SX", "721"), ("TC", "649"), ("TT", "868"), ("VC", "784"), ("VG", "284"), ("VI", "340"));

    private static readonly Dictionary<string, NumberingPlan> PlansByCountry =
        Plans.ToDictionary(plan => plan.Country, StringComparer.OrdinalIgnoreCase);

    private static readonly Dictionary<string, NumberingPlan> PlansByCallingCode =
        Plans.DistinctBy(plan => plan.CallingCode).ToDictionary(plan => plan.CallingCode, StringComparer.Ordinal);

    public static NumberingPlan? PlanForCountry(string? isoAlpha2) =>
        isoAlpha2 is not null && PlansByCountry.TryGetValue(isoAlpha2.Trim(), out var plan) ? plan : null;

    public static NumberingPlan? PlanForCallingCode(string callingCode) =>
        PlansByCallingCode.GetValueOrDefault(callingCode);

    /// <summary>The calling code that <paramref name="digits"/> begins with, if any.</summary>
    /// <remarks>ITU codes are prefix-free, so the first match is the only one; longest-first is belt and braces.</remarks>
    public static string? MatchCallingCode(string digits)
    {
        for (var length = Math.Min(3, digits.Length); length >= 1; length--)
        {
            var candidate = digits[..length];
            if (RegionsByCallingCode.ContainsKey(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    public static string? RegionForCallingCode(string callingCode) =>
        RegionsByCallingCode.GetValueOrDefault(callingCode);

    public static string NanpRegionForAreaCode(string areaCode) =>
        NanpRegionsByAreaCode.GetValueOrDefault(areaCode, "US");

    private static Dictionary<string, string> BuildNanpRegions(params (string Region, string AreaCodes)[] regions) =>
        regions
            .SelectMany(entry => entry.AreaCodes
                .Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(areaCode => (AreaCode: areaCode, entry.Region)))
            .ToDictionary(entry => entry.AreaCode, entry => entry.Region, StringComparer.Ordinal);
}
