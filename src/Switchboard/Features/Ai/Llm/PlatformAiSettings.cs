namespace Switchboard.Features.Ai.Llm;

/// <summary>The platform's model, for every tenant without its own (superadmins set it; the key is never returned).</summary>
public sealed record PlatformAiDto(string? Endpoint, string? Model, bool ApiKeySet, bool Internal, AiModelInUse? Configured);

/// <summary>The body of PUT /api/v1/platform/ai: the whole setting (endpoint null removes it).</summary>
public sealed record PlatformAiWrite : RequestBody
{
    /// <summary>An OpenAI-compatible base URL; the operator's choice, so it may be on the deployment's own network.</summary>
    public Optional<string?> Endpoint { get; init; }
    public Optional<string?> Model { get; init; }
    /// <summary>Write-only; absent keeps the current key, null or "" removes it.</summary>
    public Optional<string?> ApiKey { get; init; }
    /// <summary>The model runs inside the deployment: tenants that never send transcripts to an external model may use it.</summary>
    public Optional<bool?> Internal { get; init; }
}

/// <summary>
/// The platform's model setting, kept in <c>platform_settings</c> under one key as JSON (the API key encrypted). It
/// stands between a tenant's own model and the configured one (AI__Endpoint…), and superadmins change it without a
/// restart; every change is a platform audit event without the key.
/// </summary>
[Scoped]
public sealed class PlatformAiSettings(SwitchboardDbContext db, TenantContext ctx, LlmSecrets secrets, AuditLog audit, IOptions<AiOptions> options)
{
    public const string Key = "ai.model";

    private sealed record Stored(string Endpoint, string Model, string? ApiKey, bool Internal);

    public async Task<LlmTarget?> TargetAsync(CancellationToken ct) =>
        await ReadAsync(ct) is { } s ? new LlmTarget(LlmSources.Platform, new Uri(s.Endpoint), s.Model, s.ApiKey is null ? null : secrets.Unprotect(s.ApiKey), s.Internal) : null;

    public async Task<Outcome<PlatformAiDto>> GetAsync(CancellationToken ct) =>
        ctx.IsSuperadmin ? ToDto(await ReadAsync(ct)) : new Outcome<PlatformAiDto>.Forbidden("Only superadmins can see the platform's model.");

    public async Task<Outcome<PlatformAiDto>> PutAsync(PlatformAiWrite body, CancellationToken ct)
    {
        if (!ctx.IsSuperadmin) return new Outcome<PlatformAiDto>.Forbidden("Only superadmins can change the platform's model.");
        var errors = body.BindingErrors();
        var endpoint = string.IsNullOrWhiteSpace(body.Endpoint.Value) ? null : body.Endpoint.Value.Trim().TrimEnd('/');
        var model = string.IsNullOrWhiteSpace(body.Model.Value) ? null : body.Model.Value.Trim();
        if (endpoint is not null && (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || endpoint.Length > 500))
            errors.Add("endpoint", "Enter an absolute http(s) URL of at most 500 characters, e.g. https://api.openai.com/v1.");
        if (endpoint is not null && model is null) errors.Add("model", "Enter the model to use at this endpoint.");
        if (model is { Length: > 100 }) errors.Add("model", "The model name can be at most 100 characters.");
        if (body.ApiKey is { IsSet: true, Value: { Length: > 500 } }) errors.Add("apiKey", "The API key can be at most 500 characters.");
        if (!errors.IsValid) return new Outcome<PlatformAiDto>.Invalid(errors.ToDictionary());

        var current = await ReadAsync(ct);
        var row = await db.PlatformSettings.SingleOrDefaultAsync(s => s.Key == Key, ct);
        Stored? next = endpoint is null ? null : new Stored(endpoint, model!,
            body.ApiKey.IsSet ? (string.IsNullOrEmpty(body.ApiKey.Value) ? null : secrets.Protect(body.ApiKey.Value)) : current?.ApiKey,
            body.Internal.Value ?? false);
        if (next is null && row is not null) db.PlatformSettings.Remove(row);
        else if (next is not null && row is null) db.PlatformSettings.Add(new PlatformSetting { Key = Key, Value = JsonSerializer.Serialize(next, JsonSerializerOptions.Web) });
        else if (next is not null) row!.Value = JsonSerializer.Serialize(next, JsonSerializerOptions.Web);
        audit.Add(AuditActions.PlatformModelChanged, null, "platform", Key, new
        {
            endpoint = new { old = current?.Endpoint, @new = next?.Endpoint },
            model = new { old = current?.Model, @new = next?.Model },
            @internal = new { old = current?.Internal, @new = next?.Internal },
            apiKey = body.ApiKey.IsSet ? (next?.ApiKey is null ? "removed" : "changed") : "kept",
        });
        await db.SaveChangesAsync(ct);
        return ToDto(next);
    }

    private async Task<Stored?> ReadAsync(CancellationToken ct) =>
        await db.PlatformSettings.AsNoTracking().Where(s => s.Key == Key).Select(s => s.Value).SingleOrDefaultAsync(ct) is { } json
            ? JsonSerializer.Deserialize<Stored>(json, JsonSerializerOptions.Web)
            : null;

    private PlatformAiDto ToDto(Stored? s) =>
        new(s?.Endpoint, s?.Model, s?.ApiKey is not null, s?.Internal ?? false,
            LlmTargets.Configured(options.Value) is { } configured ? new AiModelInUse(configured.Source, configured.Model, configured.Internal) : null);
}
