using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Switchboard.Features.Telephony.Providers.Twilio;
using Switchboard.Platform.Database;
using Switchboard.Platform.Tenancy;

namespace Switchboard.Bench;

/// <summary>
/// <c>POST /bench/baseline/{tenantId}</c> does the one thing every status callback must do — insert its row into
/// call_events, on the tenant's RLS-scoped connection, with the same ON CONFLICT — and nothing else (no signature,
/// no tenant or provider lookup, no call lookup, no transition). bench/webhooks compares the real webhook against
/// it. Anonymous and unauthenticated, which is why it lives in this bench host and never in the app.
/// </summary>
public static class BaselineEndpoint
{
    public static IEndpointRouteBuilder MapBaselineEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapPost("/bench/baseline/{tenantId:guid}", HandleAsync)
            .AllowAnonymous()
            .DisableAntiforgery()
            .ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> HandleAsync(Guid tenantId, HttpContext http, SwitchboardDbContext db, TenantContext ctx, TimeProvider clock, CancellationToken ct)
    {
        var pairs = TwilioSignature.Pairs(await http.Request.ReadFormAsync(ct)).ToList();
        var form = TwilioCallbackForm.Parse(pairs);
        if (form.CallSid is null || form.RawCallStatus is null) return Results.BadRequest();
        // Only the id matters here: it is what the connection interceptor puts in app.tenant_id for RLS.
        await ctx.EnterTenantAsSystemAsync(new TenantSettings(tenantId, "", "", true, "UTC", "USD", "yyyy-MM-dd", "US"), "bench:baseline");

        var payload = JsonSerializer.SerializeToDocument(pairs.GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.First().Value));
        var key = $"status:{form.CallSid}:{form.RawCallStatus.ToLowerInvariant()}:{form.SequenceNumber?.ToString() ?? "-"}";
        const string provider = TwilioProvider.ProviderName;
        Guid? callId = null;
        await db.Database.ExecuteSqlAsync($"""
            insert into call_events (tenant_id, id, call_id, provider, event_key, kind, received_at, payload)
            values ({ctx.RequiredTenantId}, {Guid.CreateVersion7()}, {callId}, {provider}, {key}, {"status"}, {clock.GetUtcNow()}, {payload.RootElement.GetRawText()}::jsonb)
            on conflict (tenant_id, provider, event_key) do nothing
            """, ct);
        return Results.NoContent();
    }
}
