using System.Text.Json;
using Switchboard.Features.Calls.Compliance;
using Switchboard.Platform.Phones;
using Switchboard.Platform.Web;

namespace Switchboard.Tests.Features.Calls;

public sealed class ComplianceRulesTests
{
    private const string Tenant = "Europe/London";

    private static readonly CallingWindow Window = CallingWindow.Default;

    private static DateTimeOffset Utc(int year, int month, int day, int hour, int minute = 0) =>
        new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    // Lead time zones

    [Theory]
    [InlineData("+12125550100", "America/New_York")]
    [InlineData("+13125550100", "America/Chicago")]
    [InlineData("+13035550100", "America/Denver")]
    [InlineData("+16025550100", "America/Phoenix")]
    [InlineData("+14155550100", "America/Los_Angeles")]
    [InlineData("+18085550100", "Pacific/Honolulu")]
    [InlineData("+19075550100", "America/Anchorage")]
    [InlineData("+14165550100", "America/Toronto")]
    [InlineData("+16045550100", "America/Vancouver")]
    [InlineData("+13065550100", "America/Regina")]
    [InlineData("+17875550100", "America/Puerto_Rico")]
    [InlineData("+18765550100", "America/Jamaica")]
    public void A_nanp_number_takes_the_zone_of_its_area_code(string phone, string zone)
    {
        LeadTimeZones.ResolveTimeZone(null, phone).ShouldBe(zone);
    }

    [Theory]
    [InlineData("+12195550100", "America/Chicago")]
    [InlineData("+18505550100", "America/Chicago")]
    [InlineData("+14235550100", "America/New_York")]
    [InlineData("+12085550100", "America/Denver")]
    public void An_area_code_spanning_two_zones_takes_the_zone_where_most_of_its_people_live(string phone, string zone)
    {
        LeadTimeZones.ResolveTimeZone(null, phone).ShouldBe(zone);
    }

    [Theory]
    [InlineData("+18005550100")]
    [InlineData("+18885550100")]
    [InlineData("+18775550100")]
    [InlineData("+18665550100")]
    [InlineData("+18555550100")]
    [InlineData("+18445550100")]
    [InlineData("+18335550100")]
    [InlineData("+15005550100")]
    [InlineData("+19005550100")]
    [InlineData("+16005550100")]
    public void A_non_geographic_nanp_number_has_no_zone(string phone)
    {
        LeadTimeZones.ResolveTimeZone(null, phone).ShouldBeNull();
    }

    [Theory]
    [InlineData("+442079460958", "Europe/London")]
    [InlineData("+493012345678", "Europe/Berlin")]
    [InlineData("+33123456789", "Europe/Paris")]
    [InlineData("+919876543210", "Asia/Kolkata")]
    [InlineData("+61212345678", "Australia/Sydney")]
    [InlineData("+5511912345678", "America/Sao_Paulo")]
    [InlineData("+74951234567", "Europe/Moscow")]
    [InlineData("+77012345678", "Asia/Almaty")]
    [InlineData("+525512345678", "America/Mexico_City")]
    public void A_number_outside_the_nanp_takes_the_zone_of_its_country(string phone, string zone)
    {
        LeadTimeZones.ResolveTimeZone(null, phone).ShouldBe(zone);
    }

    [Fact]
    public void The_leads_own_zone_wins_over_the_number()
    {
        LeadTimeZones.ResolveTimeZone("Europe/Paris", "+12125550100").ShouldBe("Europe/Paris");
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("EST")]
    [InlineData("Eastern Standard Time")]
    [InlineData("  ")]
    public void An_invalid_lead_zone_falls_back_to_the_number(string leadZone)
    {
        LeadTimeZones.ResolveTimeZone(leadZone, "+13125550100").ShouldBe("America/Chicago");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not a number")]
    [InlineData("2125550100")]
    [InlineData("+1")]
    public void Without_a_zone_or_a_usable_number_there_is_no_zone(string? phone)
    {
        LeadTimeZones.ResolveTimeZone(null, phone).ShouldBeNull();
    }

    [Fact]
    public void Every_zone_in_the_tables_is_known_to_the_system()
    {
        var unknown = NanpAreaCodeZones.All.Values.Concat(LeadTimeZones.AllCountries.Values)
            .Distinct()
            .Where(zone => !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _));

        unknown.ShouldBeEmpty();
    }

    [Fact]
    public void Every_country_with_a_numbering_plan_or_calling_code_has_a_zone()
    {
        var regions = Enumerable.Range(1, 999)
            .Select(code => PhoneNumbers.RegionOf($"+{code}123456789"))
            .Concat(Enumerable.Range(200, 800).Select(areaCode => PhoneNumbers.RegionOf($"+1{areaCode}5550100")))
            .Append("KZ")
            .OfType<string>()
            .Distinct();

        regions.Where(region => LeadTimeZones.ForCountry(region) is null).ShouldBeEmpty();
    }

    [Fact]
    public void Every_area_code_outside_the_us_has_a_zone_except_canadas_non_geographic_600()
    {
        var missing = Enumerable.Range(200, 800)
            .Select(areaCode => areaCode.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Where(areaCode => PhoneNumbers.RegionOf($"+1{areaCode}5550100") != "US" && areaCode != "600")
            .Where(areaCode => NanpAreaCodeZones.ZoneFor(areaCode) is null);

        missing.ShouldBeEmpty();
    }

    [Fact]
    public void Every_zone_belongs_to_the_country_its_numbers_are_from()
    {
        var zonesByCountry = TzCountryZones();
        var areaCodes = NanpAreaCodeZones.All
            .Select(entry => (Place: $"+1 {entry.Key}", Region: PhoneNumbers.RegionOf($"+1{entry.Key}5550100")!, Zone: entry.Value));
        var countries = LeadTimeZones.AllCountries
            .Where(entry => entry.Key is not ("XK" or "AC"))
            .Select(entry => (Place: entry.Key, Region: entry.Key, Zone: entry.Value));

        var mismatched = areaCodes.Concat(countries)
            .Where(entry => !zonesByCountry[entry.Region].Contains(entry.Zone))
            .Select(entry => $"{entry.Place} ({entry.Region}) → {entry.Zone}");

        mismatched.ShouldBeEmpty();
    }

    // Calling window

    [Fact]
    public void A_call_inside_the_window_is_allowed()
    {
        var check = CallingHours.Evaluate(Window, "America/Chicago", Utc(2026, 6, 16, 15, 0), Tenant);

        check.IsAllowed.ShouldBeTrue();
        check.Message.ShouldBe("It is 10:00 on Tuesday for this lead (America/Chicago); calling hours are 08:00–21:00.");
    }

    [Fact]
    public void A_call_outside_the_window_is_blocked_with_the_leads_local_time()
    {
        var check = CallingHours.Evaluate(Window, "America/Chicago", Utc(2026, 6, 17, 3, 15), Tenant);

        check.IsAllowed.ShouldBeFalse();
        check.Message.ShouldBe("It is 22:15 on Tuesday for this lead (America/Chicago); calling hours are 08:00–21:00.");
    }

    [Fact]
    public void A_call_exactly_at_the_start_is_allowed()
    {
        CallingHours.Evaluate(Window, "America/Chicago", Utc(2026, 6, 16, 13, 0), Tenant).IsAllowed.ShouldBeTrue();
    }

    [Fact]
    public void A_call_exactly_at_the_end_is_blocked()
    {
        CallingHours.Evaluate(Window, "America/Chicago", Utc(2026, 6, 17, 2, 0), Tenant).IsAllowed.ShouldBeFalse();
    }

    [Fact]
    public void A_call_a_moment_before_the_end_is_allowed()
    {
        var justBefore = Utc(2026, 6, 17, 2, 0).AddTicks(-1);

        CallingHours.Evaluate(Window, "America/Chicago", justBefore, Tenant).IsAllowed.ShouldBeTrue();
    }

    [Fact]
    public void A_day_without_a_window_blocks_all_day()
    {
        var weekdaysOnly = Window with { Saturday = null, Sunday = null };

        var check = CallingHours.Evaluate(weekdaysOnly, "America/Chicago", Utc(2026, 6, 14, 17, 0), Tenant);

        check.IsAllowed.ShouldBeFalse();
        check.Message.ShouldBe("It is 12:00 on Sunday for this lead (America/Chicago); there is no calling on Sundays.");
    }

    [Fact]
    public void An_unknown_lead_zone_uses_the_tenants_and_says_so()
    {
        var check = CallingHours.Evaluate(Window, null, Utc(2026, 6, 17, 2, 30), "America/Chicago");

        check.IsAllowed.ShouldBeFalse();
        check.IsTenantTimeZone.ShouldBeTrue();
        check.Message.ShouldBe("It is 21:30 on Tuesday for this lead (America/Chicago, the tenant's time zone; the lead's is unknown); calling hours are 08:00–21:00.");
    }

    [Fact]
    public void Without_any_valid_zone_calling_is_blocked()
    {
        var check = CallingHours.Evaluate(Window, "Nowhere/Land", Utc(2026, 6, 16, 15, 0), "Nowhere/Else");

        check.IsAllowed.ShouldBeFalse();
        check.TimeZone.ShouldBeNull();
        CallingHours.NextAllowed(Window, "Nowhere/Land", Utc(2026, 6, 16, 15, 0), "Nowhere/Else").ShouldBeNull();
    }

    // Daylight saving

    [Fact]
    public void The_morning_after_spring_forward_is_judged_in_daylight_time()
    {
        // 12:30 UTC is 08:30 EDT on Sunday 8 March 2026 but 07:30 EST the day before.
        CallingHours.Evaluate(Window, "America/New_York", Utc(2026, 3, 8, 12, 30), Tenant).IsAllowed.ShouldBeTrue();
        CallingHours.Evaluate(Window, "America/New_York", Utc(2026, 3, 7, 12, 30), Tenant).IsAllowed.ShouldBeFalse();
    }

    [Fact]
    public void The_morning_after_fall_back_is_judged_in_standard_time()
    {
        // 12:30 UTC is 08:30 EDT on Saturday 31 October 2026 but 07:30 EST on Sunday 1 November.
        CallingHours.Evaluate(Window, "America/New_York", Utc(2026, 10, 31, 12, 30), Tenant).IsAllowed.ShouldBeTrue();
        CallingHours.Evaluate(Window, "America/New_York", Utc(2026, 11, 1, 12, 30), Tenant).IsAllowed.ShouldBeFalse();
    }

    [Fact]
    public void The_same_instant_is_allowed_in_chicago_but_not_in_los_angeles()
    {
        // 14:30 UTC in July: 09:30 CDT, 07:30 PDT.
        var instant = Utc(2026, 7, 14, 14, 30);

        CallingHours.Evaluate(Window, "America/Chicago", instant, Tenant).IsAllowed.ShouldBeTrue();
        CallingHours.Evaluate(Window, "America/Los_Angeles", instant, Tenant).IsAllowed.ShouldBeFalse();
    }

    [Fact]
    public void Phoenix_stays_on_standard_time_in_summer()
    {
        // 14:30 UTC in July is 07:30 MST in Phoenix, though 08:30 MDT in Denver.
        var instant = Utc(2026, 7, 14, 14, 30);

        CallingHours.Evaluate(Window, "America/Phoenix", instant, Tenant).Message.ShouldStartWith("It is 07:30 on Tuesday");
        CallingHours.Evaluate(Window, "America/Phoenix", instant, Tenant).IsAllowed.ShouldBeFalse();
        CallingHours.Evaluate(Window, "America/Denver", instant, Tenant).IsAllowed.ShouldBeTrue();
    }

    [Fact]
    public void A_number_from_phoenix_gets_a_zone_on_mountain_standard_time_all_year()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(LeadTimeZones.ResolveTimeZone(null, "+16025550100")!);

        zone.GetUtcOffset(Utc(2026, 1, 15, 12)).ShouldBe(TimeSpan.FromHours(-7));
        zone.GetUtcOffset(Utc(2026, 7, 15, 12)).ShouldBe(TimeSpan.FromHours(-7));
    }

    // Next allowed

    [Fact]
    public void Next_allowed_is_now_while_the_window_is_open()
    {
        var now = Utc(2026, 6, 16, 15, 0);

        CallingHours.NextAllowed(Window, "America/Chicago", now, Tenant).ShouldBe(now);
    }

    [Fact]
    public void Next_allowed_before_the_window_opens_is_todays_start()
    {
        // 06:00 CDT → 08:00 CDT the same day.
        CallingHours.NextAllowed(Window, "America/Chicago", Utc(2026, 6, 16, 11, 0), Tenant).ShouldBe(Utc(2026, 6, 16, 13, 0));
    }

    [Fact]
    public void Next_allowed_after_the_window_closes_is_tomorrows_start()
    {
        // 22:15 CDT on Tuesday → 08:00 CDT on Wednesday.
        CallingHours.NextAllowed(Window, "America/Chicago", Utc(2026, 6, 17, 3, 15), Tenant).ShouldBe(Utc(2026, 6, 17, 13, 0));
    }

    [Fact]
    public void Next_allowed_skips_a_closed_day()
    {
        var noSundays = Window with { Sunday = null };

        // 22:00 CDT on Saturday 13 June → 08:00 CDT on Monday 15 June.
        CallingHours.NextAllowed(noSundays, "America/Chicago", Utc(2026, 6, 14, 3, 0), Tenant).ShouldBe(Utc(2026, 6, 15, 13, 0));
    }

    [Fact]
    public void Next_allowed_can_be_a_week_away()
    {
        var mondaysOnly = new CallingWindow(new DayWindow(new TimeOnly(9, 0), new TimeOnly(17, 0)), null, null, null, null, null, null);

        // 18:00 CDT on Monday 15 June → 09:00 CDT on Monday 22 June.
        CallingHours.NextAllowed(mondaysOnly, "America/Chicago", Utc(2026, 6, 15, 23, 0), Tenant).ShouldBe(Utc(2026, 6, 22, 14, 0));
    }

    [Fact]
    public void Next_allowed_is_null_when_no_day_allows_calling()
    {
        var never = new CallingWindow(null, null, null, null, null, null, null);

        CallingHours.NextAllowed(never, "America/Chicago", Utc(2026, 6, 16, 15, 0), Tenant).ShouldBeNull();
    }

    [Fact]
    public void Next_allowed_crosses_spring_forward_at_the_new_offset()
    {
        // 22:00 EST on Saturday 7 March → 08:00 EDT on Sunday 8 March, which is 12:00 UTC, not 13:00.
        CallingHours.NextAllowed(Window, "America/New_York", Utc(2026, 3, 8, 3, 0), Tenant).ShouldBe(Utc(2026, 3, 8, 12, 0));
    }

    [Fact]
    public void Next_allowed_crosses_fall_back_at_the_new_offset()
    {
        // 22:00 EDT on Saturday 31 October → 08:00 EST on Sunday 1 November, which is 13:00 UTC.
        CallingHours.NextAllowed(Window, "America/New_York", Utc(2026, 11, 1, 2, 0), Tenant).ShouldBe(Utc(2026, 11, 1, 13, 0));
    }

    [Fact]
    public void A_window_opening_inside_the_spring_forward_gap_opens_when_the_gap_ends()
    {
        var from0230 = CallingWindow.EveryDay(new TimeOnly(2, 30), new TimeOnly(5, 0));

        // 00:00 EST on 8 March; 02:30 does not exist that night, so the window opens at 03:00 EDT (07:00 UTC).
        var next = CallingHours.NextAllowed(from0230, "America/New_York", Utc(2026, 3, 8, 5, 0), Tenant);

        next.ShouldBe(Utc(2026, 3, 8, 7, 0));
        CallingHours.Evaluate(from0230, "America/New_York", next!.Value, Tenant).IsAllowed.ShouldBeTrue();
    }

    [Fact]
    public void A_window_wholly_inside_the_spring_forward_gap_does_not_open_that_day()
    {
        var inTheGap = CallingWindow.EveryDay(new TimeOnly(2, 15), new TimeOnly(2, 45));

        // 00:00 EST on 8 March → 02:15 EDT on 9 March (06:15 UTC).
        CallingHours.NextAllowed(inTheGap, "America/New_York", Utc(2026, 3, 8, 5, 0), Tenant).ShouldBe(Utc(2026, 3, 9, 6, 15));
    }

    [Fact]
    public void A_window_opening_in_the_repeated_hour_opens_at_its_first_occurrence()
    {
        var from0130 = CallingWindow.EveryDay(new TimeOnly(1, 30), new TimeOnly(4, 0));

        // 00:00 EDT on 1 November; 01:30 happens at 05:30 UTC (EDT) and again at 06:30 UTC (EST).
        CallingHours.NextAllowed(from0130, "America/New_York", Utc(2026, 11, 1, 4, 0), Tenant).ShouldBe(Utc(2026, 11, 1, 5, 30));
    }

    [Fact]
    public void Next_allowed_uses_the_tenants_zone_when_the_leads_is_unknown()
    {
        // 06:00 in London (BST) → 08:00 BST, 07:00 UTC.
        CallingHours.NextAllowed(Window, null, Utc(2026, 6, 16, 5, 0), "Europe/London").ShouldBe(Utc(2026, 6, 16, 7, 0));
    }

    // Settings JSON

    [Fact]
    public void The_default_window_is_eight_to_nine_every_day()
    {
        var json = CallingWindow.Default.ToJson().RootElement.GetRawText();

        json.ShouldBe("""{"monday":{"start":"08:00","end":"21:00"},"tuesday":{"start":"08:00","end":"21:00"},"wednesday":{"start":"08:00","end":"21:00"},"thursday":{"start":"08:00","end":"21:00"},"friday":{"start":"08:00","end":"21:00"},"saturday":{"start":"08:00","end":"21:00"},"sunday":{"start":"08:00","end":"21:00"}}""");
    }

    [Fact]
    public void A_window_survives_a_round_trip_through_json()
    {
        var window = Window with { Saturday = new DayWindow(new TimeOnly(10, 0), new TimeOnly(14, 30)), Sunday = null };
        var errors = new ValidationErrors();

        var parsed = CallingWindow.Parse(window.ToJson().RootElement, errors);

        errors.IsValid.ShouldBeTrue();
        parsed.ShouldBe(window);
    }

    [Fact]
    public void Parsing_reads_each_day_and_null_as_no_calling()
    {
        var (window, errors) = Parse("""
            { "monday": {"start":"09:00","end":"17:30"}, "tuesday": {"start":"09:00","end":"17:30"},
              "wednesday": {"start":"09:00","end":"17:30"}, "thursday": {"start":"09:00","end":"17:30"},
              "friday": {"start":"09:00","end":"16:00"}, "saturday": null, "sunday": null }
            """);

        errors.ShouldBeEmpty();
        window!.Friday.ShouldBe(new DayWindow(new TimeOnly(9, 0), new TimeOnly(16, 0)));
        window.Saturday.ShouldBeNull();
    }

    [Fact]
    public void A_window_that_ends_before_it_starts_is_rejected_on_its_day()
    {
        var (window, errors) = Parse(WithMonday("""{"start":"21:00","end":"08:00"}"""));

        window.ShouldBeNull();
        errors.Keys.ShouldBe(["callingHours.monday"]);
        errors["callingHours.monday"].ShouldBe(["Monday's calling hours must start before they end, not 21:00–08:00."]);
    }

    [Fact]
    public void A_window_that_ends_when_it_starts_is_rejected()
    {
        var (_, errors) = Parse(WithMonday("""{"start":"09:00","end":"09:00"}"""));

        errors.Keys.ShouldBe(["callingHours.monday"]);
    }

    [Theory]
    [InlineData("\"8:00\"")]
    [InlineData("\"08:00:00\"")]
    [InlineData("\"24:00\"")]
    [InlineData("\"08:60\"")]
    [InlineData("\"8am\"")]
    [InlineData("\"\"")]
    [InlineData("800")]
    [InlineData("null")]
    public void A_time_not_written_as_hh_mm_is_rejected(string start)
    {
        var (window, errors) = Parse(WithMonday($$"""{"start":{{start}},"end":"21:00"}"""));

        window.ShouldBeNull();
        errors.Keys.ShouldBe(["callingHours.monday"]);
        errors["callingHours.monday"][0].ShouldStartWith("Monday's start must be a 24-hour time such as \"08:00\"");
    }

    [Fact]
    public void A_missing_day_an_unknown_day_and_an_unknown_field_are_each_reported()
    {
        var (window, errors) = Parse("""
            { "monday": {"start":"08:00","end":"21:00","timezone":"UTC"}, "tuesday": {"start":"08:00"},
              "wednesday": null, "thursday": null, "friday": null, "saturday": null, "funday": null }
            """);

        window.ShouldBeNull();
        errors.Keys.OrderBy(key => key, StringComparer.Ordinal).ShouldBe(
            ["callingHours.funday", "callingHours.monday", "callingHours.sunday", "callingHours.tuesday"]);
        errors["callingHours.sunday"].ShouldBe(["Give Sunday's calling hours, or null for no calling on Sundays."]);
        errors["callingHours.tuesday"].ShouldBe(["Tuesday's calling hours have no end time; give it as HH:mm."]);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("\"08:00-21:00\"")]
    public void Calling_hours_that_are_not_an_object_are_rejected(string json)
    {
        var (window, errors) = Parse(json);

        window.ShouldBeNull();
        errors.Keys.ShouldBe(["callingHours"]);
    }

    [Fact]
    public void A_day_that_is_not_an_object_is_rejected()
    {
        var (_, errors) = Parse(WithMonday("\"08:00-21:00\""));

        errors["callingHours.monday"].ShouldBe(["Monday must be {\"start\": \"HH:mm\", \"end\": \"HH:mm\"}, or null for no calling."]);
    }

    [Fact]
    public void A_day_window_cannot_be_built_backwards_in_code()
    {
        Should.Throw<ArgumentException>(() => new DayWindow(new TimeOnly(21, 0), new TimeOnly(8, 0)));
    }

    private static string WithMonday(string monday) =>
        $$"""{"monday":{{monday}},"tuesday":null,"wednesday":null,"thursday":null,"friday":null,"saturday":null,"sunday":null}""";

    private static (CallingWindow? Window, IDictionary<string, string[]> Errors) Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var errors = new ValidationErrors();
        var window = CallingWindow.Parse(document.RootElement, errors);
        return (window, errors.ToDictionary());
    }

    /// <summary>The zones the tz database lists for each country (zone.tab), to check the tables against.</summary>
    private static Dictionary<string, HashSet<string>> TzCountryZones() =>
        File.ReadLines("/usr/share/zoneinfo/zone.tab")
            .Where(line => line.Length > 0 && line[0] != '#')
            .Select(line => line.Split('\t'))
            .GroupBy(fields => fields[0], fields => fields[2])
            .ToDictionary(group => group.Key, group => group.ToHashSet(StringComparer.Ordinal));
}
