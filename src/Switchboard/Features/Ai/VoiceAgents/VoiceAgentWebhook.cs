using System.Security.Cryptography;
using Switchboard.Features.Ai.Engines;
using Switchboard.Features.Calls;
using Switchboard.Features.Contacts;
using Switchboard.Features.Leads;
using Switchboard.Features.Telephony;

namespace Switchboard.Features.Ai.VoiceAgents;

/// <summary>
/// The "call completed" report of an AI voice-agent provider (docs/API.md, "Voice-agent webhooks", has the payload):
/// signed with HMAC-SHA256 of the raw body under the tenant's signing secret (<see cref="SignatureHeader"/>: "sha256=" and
/// the hex digest), its <c>timestamp</c> within five minutes of now. The call lands with its transcript through
/// <see cref="Transcripts"/>, like any other, on the lead or contact whose number it was; a report sent again changes nothing.
/// </summary>
public static class VoiceAgentWebhook
{
    public const string SignatureHeader = "X-Switchboard-Signature";
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);
    public const int MaxBodyBytes = 1024 * 1024;

    public static IEndpointRouteBuilder MapVoiceAgentWebhook(this IEndpointRouteBuilder app)
    {
        app.MapPost($"/api/v1/telephony/{{provider:regex({VoiceAgentProviders.RoutePattern})}}/{{tenantId:guid}}/completed", HandleAsync)
            .AllowAnonymous()
            .DisableAntiforgery()
            .WithTags("Provider webhooks")
            .WithSummary("An AI voice-agent provider's completed call (callfluent, thoughtly): number, duration, outcome and transcript. Signed with HMAC-SHA256 of the raw body (X-Switchboard-Signature: sha256=<hex>); timestamp within 5 minutes.")
            .Produces<VoiceAgentReceipt>().ProducesProblem(400).ProducesProblem(403).ProducesProblem(404);
        return app;
    }

    private static async Task<IResult> HandleAsync(string provider, Guid tenantId, HttpContext http, SwitchboardDbContext db, TenantContext ctx, AuditActor actor,
        WebhookCache cache, VoiceAgentIntegrations integrations, VoiceAgentCalls calls, AuditLog audit, TimeProvider clock, CancellationToken ct)
    {
        // The active tenant as the telephony webhooks find it (WebhookGate), from the same cache.
        var tenant = await cache.TenantAsync(tenantId, async () =>
            await db.Tenants.AsNoTracking().SingleOrDefaultAsync(t => t.Id == tenantId && t.IsActive, ct) is { } t ? TenantMessages.Settings(t) : null);
        if (tenant is null) return Problems.NotFound("The tenant's integration");
        await ctx.EnterTenantAsSystemAsync(tenant, WebhookGate.SystemActorName(provider));
        actor.System(WebhookGate.SystemActorName(provider));
        if (await integrations.SigningSecretAsync(provider, ct) is not { } secret) return Problems.NotFound("The tenant's integration");

        var body = await ReadBodyAsync(http.Request, ct);
        if (body is null) return Problems.Invalid("body", $"The body must be JSON of at most {MaxBodyBytes / 1024} KB.");
        if (!SignatureMatches(secret, body, http.Request.Headers[SignatureHeader]))
        {
            await audit.WriteAsync(AuditActions.TelephonySignatureRejected, tenantId, "voice-agent-integration", provider,
                new { hasSignature = http.Request.Headers.ContainsKey(SignatureHeader) }, ct);
            return Problems.Forbidden("The request signature is missing or invalid.");
        }
        var errors = new ValidationErrors();
        var report = VoiceAgentReport.Read(body, errors);
        if (report is not null && (report.Timestamp - clock.GetUtcNow()).Duration() > Tolerance)
            return Problems.Forbidden("The report's timestamp is more than 5 minutes from now: a replay, or a clock that is wrong.");
        if (report is null) return Results.ValidationProblem(errors.ToDictionary());
        return Results.Ok(await calls.LandAsync(provider, report, ct));
    }

    /// <summary>Whether the header is "sha256=" and the hex HMAC-SHA256 of the raw body under the secret (compared in constant time).</summary>
    public static bool SignatureMatches(string secret, byte[] body, string? header)
    {
        if (header is null || !header.StartsWith("sha256=", StringComparison.Ordinal)) return false;
        byte[] given;
        try { given = Convert.FromHexString(header["sha256=".Length..]); }
        catch (FormatException) { return false; }
        return CryptographicOperations.FixedTimeEquals(given, HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
    }

    public static string Sign(string secret, byte[] body) => "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxBodyBytes) return null;
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct);
        return buffer.Length is 0 or > MaxBodyBytes ? null : buffer.ToArray();
    }
}

public sealed record VoiceAgentReceipt(Guid CallId, bool Duplicate);

/// <summary>Lands a voice agent's completed call: the call on the lead or contact whose number it was, and its transcript.</summary>
[Scoped]
public sealed class VoiceAgentCalls(SwitchboardDbContext db, TenantContext ctx, Transcripts transcripts, AuditLog audit, IEnumerable<IVoiceAgentCallObserver> observers)
{
    public async Task<VoiceAgentReceipt> LandAsync(string provider, VoiceAgentReport report, CancellationToken ct)
    {
        await using var tx = await db.BeginUnitOfWorkAsync(ct);
        var existing = await db.Calls.AsNoTracking().Where(c => c.Provider == provider && c.ProviderCallId == report.CallId).Select(c => (Guid?)c.Id).SingleOrDefaultAsync(ct);
        if (existing is { } id) return new VoiceAgentReceipt(id, Duplicate: true);

        var country = ctx.Tenant?.DefaultCountry ?? "US";
        var theirs = PhoneNumbers.Normalize(report.Direction == CallDirections.Inbound ? report.From : report.To, country).E164;
        var lead = theirs is null ? null : await db.Set<Lead>().AsNoTracking().Where(l => l.Phone == theirs).OrderByDescending(l => l.CreatedAt).Select(l => (Guid?)l.Id).FirstOrDefaultAsync(ct);
        var contact = theirs is null || lead is not null ? null
            : await db.Set<Contact>().AsNoTracking().Where(c => c.Phones.Contains(theirs)).OrderByDescending(c => c.CreatedAt).Select(c => (Guid?)c.Id).FirstOrDefaultAsync(ct);
        // A call Switchboard triggered names its lead or contact: that record, when it exists, rather than a number match.
        if (report.Metadata?.LeadId is { } named && await db.Set<Lead>().AnyAsync(l => l.Id == named, ct)) (lead, contact) = (named, null);
        else if (report.Metadata?.ContactId is { } namedContact && await db.Set<Contact>().AnyAsync(c => c.Id == namedContact, ct)) (lead, contact) = (null, namedContact);
        var call = new Call
        {
            TenantId = ctx.RequiredTenantId,
            Id = Guid.CreateVersion7(),
            Direction = report.Direction,
            FromNumber = PhoneNumbers.Normalize(report.From, country).E164 ?? report.From,
            ToNumber = PhoneNumbers.Normalize(report.To, country).E164 ?? report.To,
            LeadId = lead,
            ContactId = contact,
            Provider = provider,
            ProviderCallId = report.CallId,
            Status = report.Status,
            CreatedAt = report.StartedAt,
            AnsweredAt = report.Status == CallStatuses.Completed ? report.StartedAt : null,
            EndedAt = report.StartedAt.AddSeconds(report.DurationSeconds),
            DurationSeconds = report.DurationSeconds,
            Notes = $"{VoiceAgentProviders.Label(provider)} AI agent: {report.Outcome}",
        };
        db.Calls.Add(call);
        if (report.Transcript is { } text)
        {
            await transcripts.StoreAsync(call, text, report.Utterances, TranscriptSources.VoiceAgent, ct);
            audit.Add(AuditActions.CallTranscribed, call.TenantId, "call", call.Id.ToString(),
                new { source = TranscriptSources.VoiceAgent, provider, characters = text.Length, utterances = report.Utterances?.Count });
        }
        foreach (var observer in observers) await observer.OnCallLandedAsync(provider, report, call, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new VoiceAgentReceipt(call.Id, Duplicate: false);
    }
}

/// <summary>
/// Told, inside the transaction that lands a voice agent's report (not for a duplicate), of the call it landed: a call
/// campaign matches it to its recipient by the report's metadata. Must not commit.
/// </summary>
public interface IVoiceAgentCallObserver
{
    Task OnCallLandedAsync(string provider, VoiceAgentReport report, Call call, CancellationToken ct);
}
