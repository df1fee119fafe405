using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Features.Calls;
using Switchboard.Platform.Database;
using Switchboard.Platform.Tenancy;
using Switchboard.Testing;

namespace Switchboard.Tests.Platform;

/// <summary>The save interceptor stamps calls (a versioned row) and calling settings (a row with only an updated instant).</summary>
public sealed class VersionStampTests(VersionStampTests.Host host) : IClassFixture<VersionStampTests.Host>
{
    public sealed class Host : SwitchboardHostWithTenant
    {
        public FakeTimeProvider Clock { get; } = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

        protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);
    }

    [Fact]
    public async Task A_call_is_stamped_on_insert_and_moves_to_a_new_version_when_a_callback_changes_it()
    {
        var id = Guid.CreateVersion7();
        var created = host.Clock.GetUtcNow();
        await InTenantAsync(async db =>
        {
            db.Calls.Add(new Call
            {
                Id = id, Direction = CallDirections.Outbound, FromNumber = "+12125550100", ToNumber = "+12125550150",
                Provider = "twilio", Status = CallStatuses.Completed,
            });
            await db.SaveChangesAsync();
        });
        host.Clock.Advance(TimeSpan.FromMinutes(1));
        await InTenantAsync(async db =>
        {
            var call = await db.Calls.SingleAsync(c => c.Id == id);
            (call.CreatedAt, call.UpdatedAt, call.Version).ShouldBe((created, created, 1));
            call.RecordingUrl = "https://example.test/recording";
            await db.SaveChangesAsync();
            (call.UpdatedAt, call.Version).ShouldBe((created.AddMinutes(1), 2));
            await db.SaveChangesAsync();
            call.Version.ShouldBe(2);
        });
    }

    [Fact]
    public async Task Calling_settings_are_stamped_when_saved_but_not_when_only_the_round_robin_pointer_moves()
    {
        var saved = host.Clock.GetUtcNow();
        await InTenantAsync(async db =>
        {
            db.CallingSettings.Add(new CallingSettings { TenantId = host.Tenant.Id, CallingHours = JsonDocument.Parse("{}") });
            await db.SaveChangesAsync();
        });
        host.Clock.Advance(TimeSpan.FromMinutes(1));
        await InTenantAsync(async db =>
        {
            var settings = await db.CallingSettings.SingleAsync();
            settings.UpdatedAt.ShouldBe(saved);
            settings.LastInboundAgent = host.Tenant.Users["agent"];
            await db.SaveChangesAsync();
            settings.UpdatedAt.ShouldBe(saved);
            settings.CallScript = "Hello, this is Switchboard.";
            await db.SaveChangesAsync();
            settings.UpdatedAt.ShouldBe(saved.AddMinutes(1));
        });
    }

    private async Task InTenantAsync(Func<SwitchboardDbContext, Task> work)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var ctx = scope.ServiceProvider.GetRequiredService<TenantContext>();
        await ctx.SetUserAsync(host.Tenant.Users["admin"], isSuperadmin: false);
        await ctx.EnterTenantAsync(new TenantSettings(host.Tenant.Id, "Test", host.Tenant.Slug, true, "America/New_York", "USD", "yyyy-MM-dd", "US"), TenantRole.Admin);
        await work(scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>());
    }
}
