using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Switchboard.Features.Ai.VoiceAgents;

/// <summary>The AI voice-agent providers whose completed calls Switchboard takes in (the seed guides' CallFluent and Thoughtly).</summary>
public static class VoiceAgentProviders
{
    public const string CallFluent = "callfluent";
    public const string Thoughtly = "thoughtly";
    public static readonly IReadOnlyList<string> All = [CallFluent, Thoughtly];

    /// <summary>The route constraint that keeps the voice-agent webhook off the telephony providers' routes.</summary>
    public const string RoutePattern = "^(callfluent|thoughtly)$";

    public static string Label(string provider) => provider switch { CallFluent => "CallFluent", Thoughtly => "Thoughtly", _ => provider };
}

/// <summary>A tenant's integration with a voice-agent provider: the secret its webhooks are signed with, encrypted.</summary>
public sealed class VoiceAgentIntegration : ITenantOwned, IAudited, IUpdateStamped
{
    public Guid TenantId { get; set; }
    public required string Provider { get; set; }
    public bool IsActive { get; set; } = true;
    /// <summary>Encrypted with the app's data-protection keys; never returned.</summary>
    [AuditSecret] public required string SigningSecret { get; set; }
    /// <summary>The provider's API for outbound calls (call campaigns); checked by the <see cref="PrivateNetworkGuard"/>.</summary>
    public string? ApiBaseUrl { get; set; }
    /// <summary>The key for the provider's API, encrypted like the signing secret; never returned.</summary>
    [AuditSecret] public string? ApiKey { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public string AuditEntityType => "voice-agent-integration";
    public string AuditEntityId => Provider;
}

public sealed record VoiceAgentIntegrationDto(string Provider, string Label, bool Configured, bool Active, string WebhookUrl, DateTimeOffset? UpdatedAt)
{
    /// <summary>The provider's API base URL for outbound calls (call campaigns), when set.</summary>
    public string? ApiBaseUrl { get; init; }
    /// <summary>Whether an API key for outbound calls is stored (the key itself is never returned).</summary>
    public bool HasApiKey { get; init; }
}

/// <summary>Where and with which key to trigger a provider's outbound AI calls (decrypted, for the campaign worker only).</summary>
public sealed record VoiceAgentOutbound(string Provider, Uri BaseUrl, string ApiKey);

/// <summary>The body of PUT /api/v1/ai/voice-agents/{provider}.</summary>
public sealed record VoiceAgentIntegrationWrite : RequestBody
{
    /// <summary>The secret the provider signs its webhooks with (16–200 characters); required the first time.</summary>
    public Optional<string?> SigningSecret { get; init; }
    public Optional<bool?> Active { get; init; }
    /// <summary>The provider's API base URL for outbound calls (call campaigns); https, public addresses only; null clears it.</summary>
    public Optional<string?> ApiBaseUrl { get; init; }
    /// <summary>The provider's API key for outbound calls (8–500 characters); stored encrypted, never returned; null clears it.</summary>
    public Optional<string?> ApiKey { get; init; }
}

/// <summary>Administrators connect voice-agent providers; the webhook reads the secret to check a signature.</summary>
[Scoped]
public sealed class VoiceAgentIntegrations(SwitchboardDbContext db, TenantContext ctx, IDataProtectionProvider protection, Telephony.PublicUrls urls,
    PrivateNetworkGuard guard)
{
    private readonly IDataProtector _protector = protection.CreateProtector("Switchboard.Ai.VoiceAgentSecrets.v1");

    public async Task<Outcome<IReadOnlyList<VoiceAgentIntegrationDto>>> ListAsync(CancellationToken ct)
    {
        if (!CanManage()) return new Outcome<IReadOnlyList<VoiceAgentIntegrationDto>>.Forbidden("Only administrators can manage voice-agent integrations.");
        var stored = await db.Set<VoiceAgentIntegration>().AsNoTracking().ToListAsync(ct);
        return VoiceAgentProviders.All.Select(p => ToDto(p, stored.SingleOrDefault(s => s.Provider == p))).ToList();
    }

    public async Task<Outcome<VoiceAgentIntegrationDto>> PutAsync(string provider, VoiceAgentIntegrationWrite body, CancellationToken ct)
    {
        if (!VoiceAgentProviders.All.Contains(provider)) return new Outcome<VoiceAgentIntegrationDto>.NotFound();
        if (!CanManage()) return new Outcome<VoiceAgentIntegrationDto>.Forbidden("Only administrators can manage voice-agent integrations.");
        var stored = await db.Set<VoiceAgentIntegration>().SingleOrDefaultAsync(i => i.Provider == provider, ct);
        var errors = body.BindingErrors();
        var secret = body.SigningSecret.Value;
        if (body.SigningSecret.IsSet && secret is not { Length: >= 16 and <= 200 }) errors.Add("signingSecret", "The signing secret must be 16 to 200 characters.");
        else if (stored is null && secret is null) errors.Add("signingSecret", "The signing secret is required.");
        if (body.Active is { IsSet: true, Value: null }) errors.Add("active", "active must be true or false.");
        if (body.ApiBaseUrl.Value is { } apiBaseUrl && await guard.ProblemAsync(apiBaseUrl, ct) is { } urlProblem) errors.Add("apiBaseUrl", urlProblem);
        if (body.ApiKey.Value is { } apiKey && apiKey.Length is < 8 or > 500) errors.Add("apiKey", "The API key must be 8 to 500 characters.");
        if (!errors.IsValid) return new Outcome<VoiceAgentIntegrationDto>.Invalid(errors.ToDictionary());

        if (stored is null) db.Add(stored = new VoiceAgentIntegration { TenantId = ctx.RequiredTenantId, Provider = provider, SigningSecret = _protector.Protect(secret!) });
        else if (secret is not null) stored.SigningSecret = _protector.Protect(secret);
        if (body.Active.Value is { } active) stored.IsActive = active;
        if (body.ApiBaseUrl.IsSet) stored.ApiBaseUrl = body.ApiBaseUrl.Value?.TrimEnd('/');
        if (body.ApiKey.IsSet) stored.ApiKey = body.ApiKey.Value is { } key ? _protector.Protect(key) : null;
        await db.SaveChangesAsync(ct);
        return ToDto(provider, stored);
    }

    public async Task<Outcome<bool>> DeleteAsync(string provider, CancellationToken ct)
    {
        if (!CanManage()) return new Outcome<bool>.Forbidden("Only administrators can manage voice-agent integrations.");
        if (await db.Set<VoiceAgentIntegration>().SingleOrDefaultAsync(i => i.Provider == provider, ct) is not { } stored) return new Outcome<bool>.NotFound();
        db.Remove(stored);
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>The active integration's signing secret, in the tenant the webhook entered; null when there is none.</summary>
    public async Task<string?> SigningSecretAsync(string provider, CancellationToken ct) =>
        await db.Set<VoiceAgentIntegration>().AsNoTracking().SingleOrDefaultAsync(i => i.Provider == provider && i.IsActive, ct) is { } stored
            ? _protector.Unprotect(stored.SigningSecret)
            : null;

    /// <summary>The active integration's outbound-call API (base URL and decrypted key); null when it is not set up.</summary>
    public async Task<VoiceAgentOutbound?> OutboundAsync(string provider, CancellationToken ct) =>
        await db.Set<VoiceAgentIntegration>().AsNoTracking().SingleOrDefaultAsync(i => i.Provider == provider && i.IsActive, ct) is { ApiBaseUrl: { } url, ApiKey: { } key }
            ? new VoiceAgentOutbound(provider, new Uri(url), _protector.Unprotect(key))
            : null;

    private bool CanManage() => ctx.Role is TenantRole.Admin or TenantRole.Superadmin;

    private VoiceAgentIntegrationDto ToDto(string provider, VoiceAgentIntegration? stored) => new(
        provider, VoiceAgentProviders.Label(provider), stored is not null, stored?.IsActive ?? false,
        urls.Webhook(provider, ctx.RequiredTenantId, "completed").ToString(), stored?.UpdatedAt)
    { ApiBaseUrl = stored?.ApiBaseUrl, HasApiKey = stored?.ApiKey is not null };
}

internal sealed class VoiceAgentIntegrationConfiguration : IEntityTypeConfiguration<VoiceAgentIntegration>
{
    public void Configure(EntityTypeBuilder<VoiceAgentIntegration> e) => e.ToTable("voice_agent_integrations").HasKey(i => new { i.TenantId, i.Provider });
}
