using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Features.Activities;
using Switchboard.Platform;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Activities;

/// <summary>
/// due=overdue|today|upcoming follow the tenant's day, not UTC's. The tenant is on UTC+14 (Pacific/Kiritimati), so its
/// midnight is ten in the morning UTC: tasks one minute either side of its midnights land in different buckets.
/// </summary>
public sealed class DueBucketTests(SwitchboardHost host) : IClassFixture<SwitchboardHost>
{
    private const string Zone = "Pacific/Kiritimati";

    [Fact]
    public async Task Tasks_either_side_of_the_tenants_midnights_land_in_the_right_buckets()
    {
        var tenant = await host.CreateTenantAsync("due", timeZone: Zone);
        using var agent = await host.LoginAsync(tenant.Email("agent"));
        var zone = TimeZoneInfo.FindSystemTimeZoneById(Zone);
        var today = TimeZones.Today(DateTimeOffset.UtcNow, zone);
        var startOfToday = TimeZones.StartOfDayUtc(today, zone);
        var startOfTomorrow = TimeZones.StartOfDayUtc(today.AddDays(1), zone);

        var lateYesterday = await agent.ActivityAsync(new { subject = "Late yesterday", dueAt = startOfToday.AddMinutes(-1) });
        var earlyToday = await agent.ActivityAsync(new { subject = "Early today", dueAt = startOfToday.AddMinutes(1) });
        var lateToday = await agent.ActivityAsync(new { subject = "Late today", dueAt = startOfTomorrow.AddMinutes(-1) });
        var earlyTomorrow = await agent.ActivityAsync(new { subject = "Early tomorrow", dueAt = startOfTomorrow.AddMinutes(1) });

        var overdue = await agent.GetFromJsonAsync<JsonElement>("/api/v1/activities?due=overdue");
        var todays = await agent.GetFromJsonAsync<JsonElement>("/api/v1/activities?due=today");
        var upcoming = await agent.GetFromJsonAsync<JsonElement>("/api/v1/activities?due=upcoming");

        overdue.Ids().ShouldBe([lateYesterday]);
        todays.Ids().ShouldBe([earlyToday, lateToday]);
        upcoming.Ids().ShouldBe([earlyTomorrow]);
    }

    [Fact]
    public async Task A_completed_task_is_never_overdue()
    {
        var tenant = await host.CreateTenantAsync("done", timeZone: Zone);
        using var agent = await host.LoginAsync(tenant.Email("agent"));
        var task = await agent.ActivityAsync(new { subject = "Long ago", dueAt = DateTimeOffset.UtcNow.AddDays(-3) });
        await agent.PostAsync($"/api/v1/activities/{task}/complete", null);

        var overdue = await agent.GetFromJsonAsync<JsonElement>("/api/v1/activities?due=overdue");

        overdue.GetProperty("total").GetInt32().ShouldBe(0);
    }

    [Fact]
    public void Buckets_split_at_the_local_midnight_of_a_daylight_saving_change()
    {
        // New York springs forward on 2026-03-08: that day is 23 hours long, from 05:00Z to 04:00Z the next day.
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var day = new DateOnly(2026, 3, 8);
        var start = TimeZones.StartOfDayUtc(day, zone);
        var end = TimeZones.StartOfDayUtc(day.AddDays(1), zone);

        ActivityService.Bucket(DateTimeOffset.Parse("2026-03-08T04:59:00Z"), start, end).ShouldBe(DueBuckets.Overdue);
        ActivityService.Bucket(DateTimeOffset.Parse("2026-03-08T05:00:00Z"), start, end).ShouldBe(DueBuckets.Today);
        ActivityService.Bucket(DateTimeOffset.Parse("2026-03-09T03:59:00Z"), start, end).ShouldBe(DueBuckets.Today);
        ActivityService.Bucket(DateTimeOffset.Parse("2026-03-09T04:00:00Z"), start, end).ShouldBe(DueBuckets.Upcoming);
        ActivityService.Bucket(null, start, end).ShouldBe(DueBuckets.Upcoming);
    }
}
