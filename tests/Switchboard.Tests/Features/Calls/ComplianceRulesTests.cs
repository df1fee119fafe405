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

    // Lead time zones (libphonenumber's PhoneNumberToTimeZonesMapper, kept within the number's own country)

    [Theory]
    [InlineData("+12125550100", "America/New_York")]
    [InlineData("+13125550100", "America/Chicago")]
    [InlineData("+13035550100", "America/Denver")]
    [InlineData("+16025550100", "America/Phoenix")]
    [InlineData("+14155550100", "America/Los_Angeles")]
    [InlineData("+18085550100", "Pacific/Honolulu")]
    [InlineData("+19072690000", "America/Juneau")]
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
    [InlineData("+12199806500", "America/Chicago")]
    [InlineData("+18504340000", "America/Chicago")]
    [InlineData("+18502220000", "America/New_York")]
    [InlineData("+14232660000", "America/New_York")]
    [InlineData("+12083450000", "America/Denver")]
    [InlineData("+12088830000", "America/Los_Angeles")]
    public void An_area_code_spanning_two_zones_is_placed_by_its_exchange(string phone, string zone)
    {
        LeadTimeZones.ResolveTimeZones(null, phone).ShouldBe([zone]);
    }

    [Theory]
    [InlineData("+12085550100", new[] { "America/Boise", "America/Los_Angeles" })]
    [InlineData("+19075550100", new[] { "America/Adak", "America/Anchorage" })]
    public void An_exchange_the_data_does_not_place_may_be_in_each_zone_of_its_area_code(string phone, string[] zones)
    {
        LeadTimeZones.ResolveTimeZones(null, phone).ShouldBe(zones, ignoreOrder: true);
        LeadTimeZones.ResolveTimeZone(null, phone).ShouldBeNull();
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
    public void A_non_geographic_us_number_may_be_in_any_us_zone(string phone)
    {
        var zones = LeadTimeZones.ResolveTimeZones(null, phone);

        zones.ShouldContain("America/New_York");
        zones.ShouldContain("America/Chicago");
        zones.ShouldContain("America/Los_Angeles");
        zones.ShouldContain("Pacific/Honolulu");
        zones.ShouldNotContain("America/Toronto");
        zones.ShouldNotContain("America/Puerto_Rico");
        zones.ShouldNotContain("Pacific/Guam");
        LeadTimeZones.ResolveTimeZone(null, phone).ShouldBeNull();
    }

    [Theory]
    [InlineData("+442079460958", "Europe/London")]
    [InlineData("+447912345678", "Europe/London")]
    [InlineData("+493012345678", "Europe/Berlin")]
    [InlineData("+4915123456789", "Europe/Berlin")]
    [InlineData("+33123456789", "Europe/Paris")]
    [InlineData("+919876543210", "Asia/Kolkata")]
    [InlineData("+61212345678", "Australia/Sydney")]
    [InlineData("+5511912345678", "America/Sao_Paulo")]
    [InlineData("+74951234567", "Europe/Moscow")]
    [InlineData("+525512345678", "America/Mexico_City")]
    [InlineData("+819012345678", "Asia/Tokyo")]
    public void A_number_outside_the_nanp_takes_the_zone_of_its_place(string phone, string zone)
    {
        LeadTimeZones.ResolveTimeZone(null, phone).ShouldBe(zone);
    }

    // PhoneNumberToTimeZonesMapperTest's numbers, with what the production data says of them.
    [Theory]
    [InlineData("+61236618300", "Australia/Sydney")]
    [InlineData("+8222123456", "Asia/Seoul")]
    [InlineData("+16048406565", "America/Vancouver")]
    [InlineData("+16509600000", "America/Los_Angeles")]
    [InlineData("+12128120000", "America/New_York")]
    [InlineData("+16174240000", "America/New_York")]
    public void Numbers_from_libphonenumbers_own_time_zone_tests_take_their_zone(string phone, string zone)
    {
        LeadTimeZones.ResolveTimeZones(null, phone).ShouldBe([zone]);
    }

    [Theory]
    [InlineData("+1123456789")]
    [InlineData("+9992423651234")]
    [InlineData("+80012345678")]
    public void Numbers_libphonenumbers_own_time_zone_tests_cannot_place_have_no_zone(string phone)
    {
        LeadTimeZones.ResolveTimeZones(null, phone).ShouldBeEmpty();
    }

    [Fact]
    public void An_australian_mobile_may_be_in_any_zone_of_the_mainland_and_lord_howe()
    {
        LeadTimeZones.ResolveTimeZones(null, "+61412345678").ShouldBe(
            ["Australia/Adelaide", "Australia/Brisbane", "Australia/Eucla", "Australia/Lord_Howe", "Australia/Perth", "Australia/Sydney"],
            ignoreOrder: true);
    }

    [Fact]
    public void A_russian_mobile_may_be_in_any_russian_zone_but_no_other_countrys()
    {
        var zones = LeadTimeZones.ResolveTimeZones(null, "+79123456789");

        zones.ShouldContain("Europe/Moscow");
        zones.ShouldContain("Asia/Vladivostok");
        zones.ShouldContain("Asia/Kamchatka");
        zones.ShouldNotContain("Asia/Almaty");
        zones.ShouldNotContain("Europe/Bucharest");
    }

    [Fact]
    public void A_kazakh_mobile_may_be_in_the_kazakh_zones_that_share_its_calling_code_with_russia()
    {
        LeadTimeZones.ResolveTimeZones(null, "+77012345678").ShouldBe(["Asia/Almaty", "Asia/Aqtobe"], ignoreOrder: true);
    }

    [Theory]
    [InlineData("+353871234567", "Europe/Dublin")]
    [InlineData("+212522123456", "Africa/Casablanca")]
    public void A_number_the_data_places_outside_its_country_takes_its_countrys_zones(string phone, string zone)
    {
        // libphonenumber lists Europe/Guernsey, Europe/Isle_of_Man and Europe/London for the first, Atlantic/Canary for the second.
        LeadTimeZones.ResolveTimeZones(null, phone).ShouldBe([zone]);
    }

    [Fact]
    public void The_leads_own_zone_wins_over_the_number()
    {
        LeadTimeZones.ResolveTimeZone("Europe/Paris", "+12125550100").ShouldBe("Europe/Paris");
        LeadTimeZones.ResolveTimeZones("Europe/Paris", "+18005550100").ShouldBe(["Europe/Paris"]);
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
        LeadTimeZones.ResolveTimeZones(null, phone).ShouldBeEmpty();
    }

    [Fact]
    public void Every_zone_of_every_nanp_area_code_is_known_to_the_system_and_in_the_numbers_country()
    {
        var zonesByCountry = TzCountryZones();
        var mismatched = Enumerable.Range(200, 800)
            .Select(areaCode => $"+1{areaCode}2345678")
            .SelectMany(phone => LeadTimeZones.ForPhoneNumber(phone).Select(zone => (Phone: phone, Zone: zone, Region: PhoneNumbers.RegionOf(phone))))
            .Where(entry => !TimeZoneInfo.TryFindSystemTimeZoneById(entry.Zone, out _)
                || entry.Region is null || !zonesByCountry[entry.Region].Contains(entry.Zone))
            .Select(entry => $"{entry.Phone} ({entry.Region}) → {entry.Zone}");

        mismatched.ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(NumbersAroundTheWorld))]
    public void Every_zone_of_a_number_is_known_to_the_system_and_in_the_numbers_country(string phone)
    {
        var region = PhoneNumbers.RegionOf(phone);
        var zones = LeadTimeZones.ForPhoneNumber(phone);

        var countryZones = TzCountryZones()[region!];

        zones.ShouldNotBeEmpty();
        zones.Where(zone => !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _) || !countryZones.Contains(zone)).ShouldBeEmpty();
    }

    public static TheoryData<string> NumbersAroundTheWorld() =>
    [
        "+442079460958", "+353871234567", "+493012345678", "+33123456789", "+34912345678", "+390612345678",
        "+351212345678", "+31201234567", "+3212345678", "+35227123456", "+41446681800", "+4312345678", "+4532123456",
        "+46812345678", "+4722123456", "+35891234567", "+3545123456", "+48221234567", "+420212345678", "+421221234567",
        "+3612345678", "+40211234567", "+35921234567", "+302101234567", "+902121234567", "+74951234567", "+77123456789",
        "+380441234567", "+97231234567", "+97122345678", "+966111234567", "+20212345678", "+27211234567",
        "+2342033123456", "+254712345678", "+212522123456", "+919876543210", "+922123456789", "+88029123456",
        "+861012345678", "+85221234567", "+886221234567", "+81312345678", "+8221234567", "+6561234567", "+60323856789",
        "+6621234567", "+842101234567", "+622112345678", "+63232345678", "+61298765432", "+6432345678", "+525512345678",
        "+551131234567", "+541141234567", "+56221234567", "+576012345678", "+5112345678", "+998612201234",
    ];

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

    // A lead that may be in several zones

    [Fact]
    public void A_lead_that_may_be_in_several_zones_is_called_only_when_every_one_allows_it()
    {
        string[] zones = ["America/New_York", "America/Los_Angeles"];

        // 08:30 in New York is 05:30 in Los Angeles.
        var early = CallingHours.EvaluateIn(Window, zones, Utc(2026, 6, 16, 12, 30), Tenant);
        early.IsAllowed.ShouldBeFalse();
        early.TimeZone.ShouldBe("America/Los_Angeles");
        early.Message.ShouldBe("It is 05:30 on Tuesday for this lead (America/Los_Angeles, one of 2 time zones its number may be in); calling hours are 08:00–21:00.");

        CallingHours.EvaluateIn(Window, zones, Utc(2026, 6, 16, 16, 0), Tenant).IsAllowed.ShouldBeTrue();
    }

    [Fact]
    public void Next_allowed_for_several_zones_waits_for_the_last_to_open()
    {
        // 08:00 in Los Angeles (PDT) is 15:00 UTC.
        CallingHours.NextAllowedIn(Window, ["America/New_York", "America/Los_Angeles"], Utc(2026, 6, 16, 12, 30), Tenant)
            .ShouldBe(Utc(2026, 6, 16, 15, 0));
    }

    [Fact]
    public void A_toll_free_number_is_called_only_when_it_is_calling_time_from_hawaii_to_maine()
    {
        var zones = LeadTimeZones.ResolveTimeZones(null, "+18005550100");

        // 12:00 UTC is 08:00 in New York but 02:00 in Honolulu; 08:00 in Honolulu (HST) is 18:00 UTC.
        CallingHours.EvaluateIn(Window, zones, Utc(2026, 6, 16, 12, 0), Tenant).IsAllowed.ShouldBeFalse();
        CallingHours.NextAllowedIn(Window, zones, Utc(2026, 6, 16, 12, 0), Tenant).ShouldBe(Utc(2026, 6, 16, 18, 0));
        CallingHours.EvaluateIn(Window, zones, Utc(2026, 6, 16, 18, 0), Tenant).IsAllowed.ShouldBeTrue();
    }

    [Fact]
    public void Zones_whose_windows_never_overlap_never_allow_a_call()
    {
        var nineToTen = CallingWindow.EveryDay(new TimeOnly(9, 0), new TimeOnly(10, 0));
        string[] zones = ["Asia/Tokyo", "America/New_York"];

        CallingHours.NextAllowedIn(nineToTen, zones, Utc(2026, 6, 16, 0, 30), Tenant).ShouldBeNull();
        CallingHours.EvaluateIn(nineToTen, zones, Utc(2026, 6, 16, 0, 30), Tenant).IsAllowed.ShouldBeFalse();
    }

    [Fact]
    public void Invalid_zones_among_several_are_ignored_and_with_none_left_the_tenants_is_used()
    {
        CallingHours.EvaluateIn(Window, ["Nowhere/Land", "America/Chicago"], Utc(2026, 6, 16, 15, 0), Tenant).TimeZone.ShouldBe("America/Chicago");

        var check = CallingHours.EvaluateIn(Window, ["Nowhere/Land"], Utc(2026, 6, 16, 15, 0), Tenant);
        check.TimeZone.ShouldBe(Tenant);
        check.IsTenantTimeZone.ShouldBeTrue();
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
    public void An_end_of_midnight_runs_to_the_end_of_the_day_so_00_00_to_00_00_is_the_whole_day()
    {
        var (window, errors) = Parse(WithMonday("""{"start":"00:00","end":"00:00"}"""));

        errors.ShouldBeEmpty();
        window!.Monday!.Contains(new TimeOnly(23, 59, 30)).ShouldBeTrue();
        window.Monday.Contains(new TimeOnly(0, 0)).ShouldBeTrue();
        new DayWindow(new TimeOnly(8, 0), new TimeOnly(0, 0)).Contains(new TimeOnly(23, 59, 59)).ShouldBeTrue();
        window.ToJson().RootElement.GetProperty("monday").GetProperty("end").GetString().ShouldBe("00:00");
        CallingWindow.Parse(window.ToJson().RootElement, new ValidationErrors()).ShouldBe(window);
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
