using System.Linq.Expressions;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;

namespace Switchboard.Platform.Database;

/// <summary>
/// The one DbContext. It knows the platform's own tables; each feature's entities come from the
/// IEntityTypeConfiguration classes in the assembly, and features add their DbSet shortcuts as
/// extension properties beside their entities (e.g. Features/Leads/LeadsData.cs).
/// Pooled (ADR 0018): a context instance outlives its scope and serves the next one, so it takes no scoped
/// services in its constructor. The scope binds its own <see cref="TenantContext"/> and <see cref="AuditActor"/>
/// each time it rents one (<see cref="Bind"/>, see PlatformComposition); the interceptors read them from here.
/// </summary>
public sealed class SwitchboardDbContext(DbContextOptions<SwitchboardDbContext> options)
    : IdentityUserContext<AppUser, Guid>(options)
{
    private TenantContext _tenant = new();

    public DbSet<Tenant> Tenants => Set<Tenant>();
    public DbSet<TenantMembership> Memberships => Set<TenantMembership>();
    public DbSet<UserSession> Sessions => Set<UserSession>();
    public DbSet<RefreshToken> RefreshTokens => Set<RefreshToken>();
    public DbSet<Jobs.Job> Jobs => Set<Jobs.Job>();
    public DbSet<AuditEntry> AuditLog => Set<AuditEntry>();
    public DbSet<AuditChainLink> AuditChain => Set<AuditChainLink>();
    public DbSet<AuditBacklogEntry> AuditBacklog => Set<AuditBacklogEntry>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<PlatformSetting> PlatformSettings => Set<PlatformSetting>();

    /// <summary>Read by the global query filters; EF evaluates it per query, so a tenant switch takes effect at once.</summary>
    internal Guid CurrentTenantId => _tenant.TenantId ?? Guid.Empty;

    internal TenantContext Tenant => _tenant;
    internal AuditActor Actor { get; private set; } = new();

    /// <summary>How this scope's statements carry <see cref="Tenant"/> to RLS (transaction-local, ADR 0062).</summary>
    internal TenantConnection Connection { get; } = new();

    /// <summary>Set by JobWakeUpInterceptor between saving and saved.</summary>
    internal bool DueJobAdded { get; set; }

    /// <summary>Gives a context rented from the pool to the scope that rented it.</summary>
    public SwitchboardDbContext Bind(TenantContext tenant, AuditActor actor)
    {
        _tenant = tenant;
        Actor = actor;
        DueJobAdded = false;
        Connection.Bind(tenant);
        // SaveChanges' statements carry the tenant through their transaction (TenantConnection), so there always is one.
        Database.AutoTransactionBehavior = AutoTransactionBehavior.Always;
        return this;
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<AppUser>().ToTable("users");
        // A new account's password is as new as the account (ADR 0042); Passwords.Set moves it on.
        builder.Entity<AppUser>().Property(u => u.PasswordChangedAt).HasDefaultValueSql("now()");
        builder.Entity<Microsoft.AspNetCore.Identity.IdentityUserClaim<Guid>>().ToTable("user_claims");
        builder.Entity<Microsoft.AspNetCore.Identity.IdentityUserLogin<Guid>>().ToTable("user_logins");
        builder.Entity<Microsoft.AspNetCore.Identity.IdentityUserToken<Guid>>().ToTable("user_tokens");
        builder.ApplyConfigurationsFromAssembly(typeof(SwitchboardDbContext).Assembly);

        foreach (var entity in builder.Model.GetEntityTypes().Where(e => typeof(ITenantOwned).IsAssignableFrom(e.ClrType)))
            builder.Entity(entity.ClrType).HasQueryFilter(TenantFilter(entity.ClrType));
        foreach (var entity in builder.Model.GetEntityTypes().Where(e => typeof(IVersioned).IsAssignableFrom(e.ClrType)))
            builder.Entity(entity.ClrType).Property(nameof(IVersioned.Version)).IsConcurrencyToken();
        // Every JSON document is a jsonb column, compared by content.
        foreach (var property in builder.Model.GetEntityTypes().SelectMany(e => e.GetProperties()).Where(p => p.ClrType == typeof(JsonDocument)))
        {
            property.SetColumnType("jsonb");
            property.SetValueComparer(JsonDocumentComparer.Instance);
        }

        SnakeCaseNames.Apply(builder);
    }

    private LambdaExpression TenantFilter(Type type)
    {
        var parameter = Expression.Parameter(type, "e");
        var body = Expression.Equal(
            Expression.Property(parameter, nameof(ITenantOwned.TenantId)),
            Expression.Property(Expression.Constant(this), nameof(CurrentTenantId)));
        return Expression.Lambda(body, parameter);
    }
}

public sealed class DataProtectionKey
{
    public int Id { get; set; }
    public string? FriendlyName { get; set; }
    public required string Xml { get; set; }
}

public sealed class PlatformSetting
{
    public required string Key { get; set; }
    public required string Value { get; set; }
}
