using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Switchboard.Features.Modules;

/// <summary>A tenant's switch for one optional module. No row means the module is on.</summary>
public sealed class TenantModule : ITenantOwned, IAudited, IUpdateStamped
{
    public Guid TenantId { get; set; }
    public required string Module { get; set; }
    public bool Enabled { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public string AuditEntityType => "module";
    public string AuditEntityId => Module;
}

internal sealed class TenantModuleConfiguration : IEntityTypeConfiguration<TenantModule>
{
    public void Configure(EntityTypeBuilder<TenantModule> e)
    {
        e.ToTable("tenant_modules");
        e.HasKey(m => new { m.TenantId, m.Module });
    }
}

public static class ModuleNames
{
    public const string Opportunities = "opportunities";
    public const string Products = "products";
    /// <summary>Activities and tasks (the "My tasks" page).</summary>
    public const string Activities = "activities";

    public static readonly IReadOnlyList<string> All = [Opportunities, Products, Activities];
}

/// <summary>GET and PATCH /api/v1/modules: which optional modules the tenant uses.</summary>
public sealed record ModulesDto(bool Opportunities, bool Products, bool Activities);

/// <summary>The body of PATCH /api/v1/modules: a merge patch of <see cref="ModulesDto"/> (absent = unchanged; null is refused).</summary>
public sealed record ModulesWrite : RequestBody
{
    public Optional<bool?> Opportunities { get; init; }
    public Optional<bool?> Products { get; init; }
    public Optional<bool?> Activities { get; init; }
}
