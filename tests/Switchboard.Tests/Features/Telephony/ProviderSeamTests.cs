using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Switchboard.Features.Calls;
using Switchboard.Features.Leads;
using Switchboard.Features.Telephony;
using Switchboard.Features.Telephony.Providers.SignalWire;
using Switchboard.Features.Telephony.Providers.Simulator;
using Switchboard.Features.Telephony.Providers.Twilio;
using Switchboard.Features.Users;
using Switchboard.Platform.Tenancy;
using Switchboard.Platform.Web;
using Switchboard.Tests.Features.Calls;

namespace Switchboard.Tests.Features.Telephony;

/// <summary>The calling host, recording who each webhook request acted as once it was done.</summary>
public sealed class ObservedCallingHost : CallingHost
{
    public sealed record Acting(string Path, TenantRole? Role, Guid? UserId, bool IsSuperadmin, string? SystemActor);

    public ConcurrentQueue<Acting> Webhooks { get; } = new();

    protected override void ConfigureServices(IServiceCollection services) =>
        services.AddSingleton<IStartupFilter>(new ObserveWebhooks(this));

    private sealed class ObserveWebhooks(ObservedCallingHost host) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (http, inner) =>
            {
                // Recorded as the response starts, not after the pipeline returns: the client must not be able to read
                // the answer before the record exists (it could, and a test then found nothing).
                if (http.Request.Path.StartsWithSegments("/api/v1/telephony/twilio"))
                    http.Response.OnStarting(() =>
                    {
                        var ctx = http.RequestServices.GetRequiredService<TenantContext>();
                        host.Webhooks.Enqueue(new Acting(http.Request.Path, ctx.Role, ctx.UserId, ctx.IsSuperadmin, ctx.SystemActor));
                        return Task.CompletedTask;
                    });
                await inner();
            });
            next(app);
        };
    }
}

/// <summary>The provider registry, and the system actor provider callbacks run as.</summary>
public sealed class ProviderSeamTests(ObservedCallingHost host) : IClassFixture<ObservedCallingHost>
{
    [Theory]
    [InlineData("twilio", typeof(TwilioProvider))]
    [InlineData("signalwire", typeof(SignalWireProvider))]
    [InlineData("simulator", typeof(SimulatorProvider))]
    public void The_registry_resolves_each_provider_by_its_name(string name, Type implementation)
    {
        using var scope = host.Services.CreateScope();
        var providers = scope.ServiceProvider.GetRequiredService<TelephonyProviders>();

        var provider = providers.Get(name);

        provider.ShouldBeOfType(implementation);
        provider.Schema.Name.ShouldBe(name);
        providers.Names.ShouldContain(name);
    }

    [Fact]
    public void The_registry_refuses_a_name_no_provider_registered()
    {
        using var scope = host.Services.CreateScope();
        var providers = scope.ServiceProvider.GetRequiredService<TelephonyProviders>();

        providers.TryGet("plivo", out var provider).ShouldBeFalse();
        provider.ShouldBeNull();
        providers.TryGet("Twilio", out _).ShouldBeFalse();
        Should.Throw<InvalidOperationException>(() => providers.Get("plivo")).Message.ShouldContain("plivo");
    }

    [Fact]
    public async Task A_callback_for_an_unregistered_provider_is_not_found()
    {
        var response = await host.PostSignedAsync(host.Webhook("status", provider: "plivo"), new() { ["CallSid"] = "CA1", ["CallStatus"] = "ringing" });

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_webhook_runs_as_the_providers_system_actor_and_is_audited_as_the_provider_not_as_a_superadmin()
    {
        var sid = "CAactor" + Guid.NewGuid().ToString("N");
        var form = new Dictionary<string, string> { ["CallSid"] = sid, ["From"] = "+13125550190", ["To"] = "+12125550100", ["CallStatus"] = "ringing" };

        var response = await host.PostSignedAsync(host.Webhook("inbound"), form);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var acting = host.Webhooks.Last(w => w.Path.EndsWith("/inbound"));
        acting.SystemActor.ShouldBe("provider:twilio");
        acting.Role.ShouldBeNull();
        acting.IsSuperadmin.ShouldBeFalse();
        acting.UserId.ShouldBeNull();
        await using var conn = new NpgsqlConnection(host.Database.SuperuserConnectionString);
        await conn.OpenAsync();
        await using var audit = new NpgsqlCommand("""
            select a.actor_type, a.actor_name, a.actor_id from audit_log a join calls c on c.id::text = a.entity_id
            where a.tenant_id = @tenant and a.entity_type = 'call' and a.action = 'created' and c.provider_call_id = @sid
            """, conn);
        audit.Parameters.AddWithValue("tenant", host.Tenant.Id);
        audit.Parameters.AddWithValue("sid", sid);
        await using var reader = await audit.ExecuteReaderAsync();
        (await reader.ReadAsync()).ShouldBeTrue("the inbound call was created with an audit row");
        reader.GetString(0).ShouldBe("system");
        reader.GetString(1).ShouldBe("provider:twilio");
        reader.IsDBNull(2).ShouldBeTrue();
    }

    [Fact]
    public async Task The_providers_system_actor_cannot_create_leads_read_users_manage_providers_or_place_calls()
    {
        using var scope = host.Services.CreateScope();
        var services = scope.ServiceProvider;
        var ctx = services.GetRequiredService<TenantContext>();
        await ctx.EnterTenantAsSystemAsync(
            new TenantSettings(host.Tenant.Id, "Tenant", host.Tenant.Slug, true, "America/New_York", "USD", "yyyy-MM-dd", "US"), "provider:twilio");
        var lead = await host.LeadAsync(phone: "(212) 555-0191");

        var created = await services.GetRequiredService<LeadService>().CreateAsync(new LeadWrite { LastName = Optional.Text("Injected") }, CancellationToken.None);
        var users = await services.GetRequiredService<UserService>().ListAsync(CancellationToken.None);
        var settings = await services.GetRequiredService<ProviderSettingsService>().ListAsync(CancellationToken.None);
        var call = await services.GetRequiredService<CallService>().StartAsync(StartCallRequest.For(lead), CancellationToken.None);

        created.ShouldBeOfType<Outcome<LeadDto>.Forbidden>();
        users.ShouldBeOfType<Outcome<IReadOnlyList<UserDto>>.Forbidden>();
        settings.ShouldBeOfType<Outcome<IReadOnlyList<ProviderView>>.Forbidden>();
        call.ShouldBeOfType<Outcome<StartedCall>.Forbidden>();
    }
}
