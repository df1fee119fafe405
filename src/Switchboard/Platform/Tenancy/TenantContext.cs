namespace Switchboard.Platform.Tenancy;

/// <summary>
/// Who is acting, in which tenant, for the current request or job. Resolved once by the pipeline
/// from the signed-in principal; nothing downstream reads tenant ids from request bodies. The
/// database session follows it: every connection opened in this scope is set to this tenant.
/// </summary>
[Scoped]
public sealed class TenantContext
{
    public Guid? TenantId { get; private set; }
    public Guid? UserId { get; private set; }
    public TenantRole? Role { get; private set; }
    public bool IsSuperadmin { get; private set; }
    public TenantSettings? Tenant { get; private set; }

    /// <summary>
    /// Set when a system actor of the tenant is acting (a provider's webhooks: "provider:twilio"). It has no user
    /// and no <see cref="Role"/>, so no role check grants it anything: it may do only what the code that entered it
    /// does directly, never through the permission-checked services of users.
    /// </summary>
    public string? SystemActor { get; private set; }

    /// <summary>
    /// Set when the request came with an API key (ADR 0043): the key acts for its creator (<see cref="UserId"/>) with
    /// its own role, or with <see cref="TenantRole.Admin"/> held to the entities of its scopes.
    /// </summary>
    public ApiKeyIdentity? ApiKey { get; private set; }

    /// <summary>Platform path: superadmin work across tenants. Audited by the code that uses it.</summary>
    public bool IsPlatform { get; private set; }

    /// <summary>Raised when the identity changes so an open database connection can follow.</summary>
    public event Func<Task>? Changed;

    public bool IsSignedIn => UserId is not null;

    public Guid RequiredTenantId => TenantId ?? throw new InvalidOperationException("No tenant is selected for this operation.");
    public Guid RequiredUserId => UserId ?? throw new InvalidOperationException("No user is signed in for this operation.");

    public Task SetUserAsync(Guid userId, bool isSuperadmin)
    {
        UserId = userId;
        IsSuperadmin = isSuperadmin;
        return RaiseChanged();
    }

    public Task EnterTenantAsync(TenantSettings tenant, TenantRole role)
    {
        TenantId = tenant.Id;
        Tenant = tenant;
        Role = role;
        return RaiseChanged();
    }

    /// <summary>Enters the tenant as a named system actor, without a user or role (see <see cref="SystemActor"/>).</summary>
    public Task EnterTenantAsSystemAsync(TenantSettings tenant, string systemActor)
    {
        ArgumentException.ThrowIfNullOrEmpty(systemActor);
        TenantId = tenant.Id;
        Tenant = tenant;
        Role = null;
        UserId = null;
        IsSuperadmin = false;
        SystemActor = systemActor;
        return RaiseChanged();
    }

    /// <summary>The whole identity of a signed-in request at once (one change, so an open connection is set once).</summary>
    public Task EnterAsync(Guid userId, bool isSuperadmin, TenantSettings? tenant, TenantRole? role)
    {
        UserId = userId;
        IsSuperadmin = isSuperadmin;
        TenantId = tenant?.Id;
        Tenant = tenant;
        Role = role;
        SystemActor = null;
        return RaiseChanged();
    }

    /// <summary>The identity of a request made with an API key, at once (the lookup has already set the connection).</summary>
    public Task EnterWithApiKeyAsync(ApiKeyIdentity key, Guid creatorId, TenantSettings tenant, TenantRole role)
    {
        ApiKey = key;
        return EnterAsync(creatorId, isSuperadmin: false, tenant, role);
    }

    /// <summary>The whole identity of <paramref name="other"/>, for a second scope that acts for the same request (StandbyReads).</summary>
    public Task EnterSameAsAsync(TenantContext other)
    {
        TenantId = other.TenantId;
        UserId = other.UserId;
        Role = other.Role;
        IsSuperadmin = other.IsSuperadmin;
        Tenant = other.Tenant;
        SystemActor = other.SystemActor;
        ApiKey = other.ApiKey;
        IsPlatform = other.IsPlatform;
        return RaiseChanged();
    }

    public Task EnterPlatformAsync()
    {
        IsPlatform = true;
        return RaiseChanged();
    }

    public Task LeavePlatformAsync()
    {
        IsPlatform = false;
        return RaiseChanged();
    }

    private Task RaiseChanged() => Changed?.Invoke() ?? Task.CompletedTask;
}

/// <summary>An API key acting in a request: its id and name (the audit's actor), and its scopes (null for a key with a role).</summary>
public sealed record ApiKeyIdentity(Guid Id, string Name, IReadOnlyList<string>? Scopes);

public sealed record TenantSettings(Guid Id, string Name, string Slug, bool IsActive, string TimeZone, string Currency, string DateFormat, string DefaultCountry);
