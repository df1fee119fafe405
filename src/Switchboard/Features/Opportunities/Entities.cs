
namespace Switchboard.Features.Opportunities;

public sealed class Pipeline : ITenantOwned, IAudited, IVersioned
{
    public Guid TenantId { get; set; }
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public int Position { get; set; }
    public bool IsDefault { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public int Version { get; set; } = 1;
    public List<PipelineStage> Stages { get; set; } = [];

    public string AuditEntityType => "pipeline";
    public string AuditEntityId => Id.ToString();
}

public sealed class PipelineStage : ITenantOwned
{
    public Guid TenantId { get; set; }
    public Guid Id { get; set; }
    public Guid PipelineId { get; set; }
    public required string Name { get; set; }
    public int Position { get; set; }
    public int Probability { get; set; }
    public string Kind { get; set; } = StageKinds.Open;
}

public static class StageKinds
{
    public const string Open = "open";
    public const string Won = "won";
    public const string Lost = "lost";
    public static readonly IReadOnlyList<string> All = [Open, Won, Lost];
}

public sealed class Opportunity : IOwnedRecord
{
    public Guid TenantId { get; set; }
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public Guid? AccountId { get; set; }
    public Guid? ContactId { get; set; }
    public decimal? Amount { get; set; }
    public required string Currency { get; set; }
    public Guid PipelineId { get; set; }
    public Guid StageId { get; set; }
    public int Probability { get; set; }
    public DateOnly? ExpectedClose { get; set; }
    public Guid? OwnerId { get; set; }
    public string? LostReason { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }

    /// <summary>Custom field values by key, validated by CustomFieldValidator on every write.</summary>
    public JsonDocument Custom { get; set; } = JsonDocument.Parse("{}");
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public int Version { get; set; } = 1;

    public string AuditEntityType => "opportunity";
    public string AuditEntityId => Id.ToString();
}

public sealed class Product : ITenantOwned, IAudited, IVersioned
{
    public Guid TenantId { get; set; }
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public string Type { get; set; } = ProductTypes.Product;
    public decimal Price { get; set; }
    public required string Currency { get; set; }
    public bool IsActive { get; set; } = true;
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public int Version { get; set; } = 1;

    public string AuditEntityType => "product";
    public string AuditEntityId => Id.ToString();
}

public static class ProductTypes
{
    public const string Product = "product";
    public static readonly IReadOnlyList<string> All = [Product, "service", "subscription"];
}

public sealed class OpportunityProduct : ITenantOwned
{
    public Guid TenantId { get; set; }
    public Guid Id { get; set; }
    public Guid OpportunityId { get; set; }
    public Guid ProductId { get; set; }
    public decimal Quantity { get; set; }
    public decimal UnitPrice { get; set; }
}
