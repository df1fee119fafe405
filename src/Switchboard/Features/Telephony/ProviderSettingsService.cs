using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.DataProtection;

namespace Switchboard.Features.Telephony;

/// <summary>What the API shows of a provider: settings, and for each secret only whether it is set.</summary>
public sealed record ProviderView(string Provider, bool Active, IReadOnlyDictionary<string, JsonElement> Settings, IReadOnlyDictionary<string, string> Secrets, DateTimeOffset? UpdatedAt);

/// <summary>A provider's full configuration with decrypted secrets, for server-side use only.</summary>
public sealed record ProviderCredentials(string Provider, IReadOnlyDictionary<string, string?> Settings, IReadOnlyDictionary<string, string> Secrets)
{
    public string? Setting(string name) => Settings.GetValueOrDefault(name);
    public string? Secret(string name) => Secrets.GetValueOrDefault(name);
}

/// <summary>
/// The body of PUT /api/v1/telephony/providers/{provider}: <c>active</c>, and beside it the settings and secrets the
/// provider's <see cref="ProviderSchema"/> declares (twilio: accountSid, authToken, callerId…).
/// </summary>
/// <remarks>
/// One record for every provider rather than a record per provider: which members a body may have depends on the
/// route's provider, and the provider's schema already declares them once (names, kinds, ranges, its settings card);
/// a record per provider would declare each field a second time, and the endpoint could bind only one of them. So the
/// provider's members stay open (the extension data) and are read against the schema: a member the schema does not
/// declare is still a 400 naming it, a secret that is not a string is a 400 naming it ("must be a string", as any
/// typed member), and setting values stay JSON for the schema to check by kind with its own messages.
/// </remarks>
[OpenMembers]
public sealed record ProviderSettingsWrite : RequestBody
{
    /// <summary>true makes this the tenant's one active provider (it must then be complete); false deactivates it.</summary>
    public Optional<bool?> Active { get; init; }

    /// <summary>The provider's settings and secrets as sent; pages and the demo seeder build the body with it.</summary>
    [JsonIgnore]
    public IReadOnlyDictionary<string, JsonElement> Members
    {
        get => UnknownMembers ?? new Dictionary<string, JsonElement>();
        init => UnknownMembers = new Dictionary<string, JsonElement>(value);
    }

    /// <summary>What was wrong with the body as sent, the members <paramref name="schema"/> declares being known.</summary>
    public ValidationErrors BindingErrors(ProviderSchema schema)
    {
        var declared = schema.SettingNames.Concat(schema.SecretNames).ToHashSet();
        var errors = (this with { UnknownMembers = Members.Where(m => !declared.Contains(m.Key)).ToDictionary() }).BindingErrors();
        foreach (var name in schema.SecretNames)
            if (Secret(name).Error is { } error) errors.Add(name, $"'{name}' {error}.");
        foreach (var name in schema.SettingNames)
            if (Members.TryGetValue(name, out var value) && JsonValues.FirstInvalidText(value) is not null) errors.Add(name, $"'{name}' is not valid text.");
        return errors;
    }

    /// <summary>A secret as sent (read as any text member: trimmed, blank as null); unset when absent.</summary>
    public Optional<string?> Secret(string name) =>
        Members.TryGetValue(name, out var value) ? value.Deserialize<Optional<string?>>() : Optional<string?>.Unset;
}

/// <summary>
/// Per-tenant telephony providers. Secrets are encrypted with ASP.NET Core Data Protection (key ring in
/// PostgreSQL, shared by all instances) and never returned; exactly one provider can be active.
/// </summary>
[Scoped]
public sealed class ProviderSettingsService(
    SwitchboardDbContext db, TenantContext ctx, IDataProtectionProvider protection, WebhookCache cache, TelephonyProviders telephony,
    PrivateNetworkGuard guard)
{
    private readonly IDataProtector _protector = protection.CreateProtector("Switchboard.Telephony.ProviderSecrets.v1");

    public static bool CanManage(TenantContext ctx) => ctx.Role is TenantRole.Admin or TenantRole.Superadmin;

    public async Task<Outcome<IReadOnlyList<ProviderView>>> ListAsync(CancellationToken ct)
    {
        if (!CanManage(ctx)) return new Outcome<IReadOnlyList<ProviderView>>.Forbidden("Only administrators can manage telephony providers.");
        var stored = await db.TelephonyProviders.AsNoTracking().ToListAsync(ct);
        return telephony.Names.Select(name => ToView(name, stored.SingleOrDefault(p => p.Provider == name))).ToList();
    }

    public async Task<Outcome<ProviderView>> GetAsync(string provider, CancellationToken ct)
    {
        if (Schema(provider) is null) return new Outcome<ProviderView>.NotFound();
        if (!CanManage(ctx)) return new Outcome<ProviderView>.Forbidden("Only administrators can manage telephony providers.");
        var stored = await db.TelephonyProviders.AsNoTracking().SingleOrDefaultAsync(p => p.Provider == provider, ct);
        return ToView(provider, stored);
    }

    /// <summary>Merges the body into the provider's settings; secrets given replace the stored ones.</summary>
    public async Task<Outcome<ProviderView>> PutAsync(string provider, ProviderSettingsWrite body, CancellationToken ct)
    {
        if (Schema(provider) is not { } schema) return new Outcome<ProviderView>.NotFound();
        if (!CanManage(ctx)) return new Outcome<ProviderView>.Forbidden("Only administrators can manage telephony providers.");

        var stored = await db.TelephonyProviders.SingleOrDefaultAsync(p => p.Provider == provider, ct);
        var settings = stored is null ? new JsonObject() : JsonNode.Parse(stored.Settings.RootElement.GetRawText())!.AsObject();
        var secrets = stored?.Secrets is { } protectedSecrets ? Unprotect(protectedSecrets) : new Dictionary<string, string>();

        var errors = body.BindingErrors(schema);
        foreach (var name in schema.SettingNames)
            if (body.Members.TryGetValue(name, out var raw) && !errors.Has(name)) settings[name] = raw.ValueKind == JsonValueKind.Null ? null : JsonNode.Parse(raw.GetRawText());
        foreach (var name in schema.SecretNames)
            if (body.Secret(name) is { IsSet: true } secret)
            {
                if (secret.Value is null) secrets.Remove(name);
                else secrets[name] = secret.Value;
            }
        // A generated secret (the simulator's signing key) is made here, never typed in.
        foreach (var secret in schema.Secrets.Where(s => s.Generated && !secrets.ContainsKey(s.Name)))
            secrets[secret.Name] = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
        var active = body.Active;
        schema.Validate(settings, errors, ctx.Tenant?.DefaultCountry ?? "US");
        // The server will send authenticated requests there: never to its own network (checked again on every connection).
        foreach (var field in schema.Fields.Where(f => f.Kind == ProviderFieldKind.Url && !errors.Has(f.Name)))
            if (settings[field.Name] is JsonValue value && value.TryGetValue<string>(out var url) && await guard.ProblemAsync(url, ct) is { } problem)
                errors.Add(field.Name, problem);
        var activate = active is { IsSet: true, Value: true };
        if (activate) schema.ValidateComplete(settings, secrets, errors);
        if (!errors.IsValid) return new Outcome<ProviderView>.Invalid(errors.ToDictionary());

        if (stored is null)
        {
            stored = new TelephonyProvider { Provider = provider, Settings = JsonDocument.Parse("{}") };
            db.TelephonyProviders.Add(stored);
        }
        stored.Settings = JsonDocument.Parse(settings.ToJsonString());
        stored.Secrets = secrets.Count == 0 ? null : _protector.Protect(JsonSerializer.Serialize(secrets));
        if (active.IsSet) stored.IsActive = active.Value == true;

        await using var tx = await db.BeginUnitOfWorkAsync(ct);
        if (activate)
            await db.TelephonyProviders.Where(p => p.Provider != provider && p.IsActive)
                .ExecuteUpdateAsync(u => u.SetProperty(p => p.IsActive, false), ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        cache.Forget(ctx.RequiredTenantId);
        return ToView(provider, stored);
    }

    /// <summary>The tenant's active provider with secrets, or null when none is active.</summary>
    public async Task<ProviderCredentials?> ActiveAsync(CancellationToken ct) =>
        await db.TelephonyProviders.AsNoTracking().SingleOrDefaultAsync(p => p.IsActive, ct) is { } p ? ToCredentials(p) : null;

    /// <summary>A configured provider with secrets (active or not), for verifying its callbacks.</summary>
    public async Task<ProviderCredentials?> ConfiguredAsync(string provider, CancellationToken ct) =>
        await db.TelephonyProviders.AsNoTracking().SingleOrDefaultAsync(p => p.Provider == provider, ct) is { } p ? ToCredentials(p) : null;

    private ProviderCredentials ToCredentials(TelephonyProvider p) => new(
        p.Provider,
        p.Settings.RootElement.EnumerateObject().ToDictionary(e => e.Name, e => e.Value.ValueKind == JsonValueKind.String ? e.Value.GetString() : e.Value.GetRawText()),
        p.Secrets is null ? new Dictionary<string, string>() : Unprotect(p.Secrets));

    private Dictionary<string, string> Unprotect(string payload) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(_protector.Unprotect(payload)) ?? [];

    private ProviderView ToView(string provider, TelephonyProvider? stored)
    {
        var schema = Schema(provider)!;
        var settings = stored?.Settings.RootElement.EnumerateObject().ToDictionary(e => e.Name, e => e.Value.Clone())
                       ?? new Dictionary<string, JsonElement>();
        var secrets = stored?.Secrets is { } s ? Unprotect(s) : new Dictionary<string, string>();
        return new ProviderView(provider, stored?.IsActive ?? false, settings,
            schema.SecretNames.ToDictionary(name => name, name => secrets.ContainsKey(name) ? "set" : "not set"), stored?.UpdatedAt);
    }

    /// <summary>The schema of a registered provider; null for a name no provider registered.</summary>
    private ProviderSchema? Schema(string provider) => telephony.TryGet(provider, out var registered) ? registered.Schema : null;
}
