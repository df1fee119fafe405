namespace Switchboard.Features.Opportunities;

public sealed class Pipeline : AuditedRow
{
    public required string Name { get; set; }
    public int Position { get; set; }
    public bool IsDefault { get; set; }
    public List<PipelineStage> Stages { get; set; } = [];

    public override string AuditEntityType => "pipeline";
}

public sealed class PipelineStage : TenantRow
{
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

public sealed class Opportunity : OwnedRecord
{
    public required string Name { get; set; }
    public Guid? AccountId { get; set; }
    public Guid? ContactId { get; set; }
    public decimal? Amount { get; set; }
    public required string Currency { get; set; }
    public Guid PipelineId { get; set; }
    public Guid StageId { get; set; }
    public int Probability { get; set; }
    public DateOnly? ExpectedClose { get; set; }
    public string? LostReason { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }

    public override string AuditEntityType => "opportunity";
}

public sealed class Product : AuditedRow
{
    public required string Name { get; set; }
    public string Type { get; set; } = ProductTypes.Product;
    public decimal Price { get; set; }
    public required string Currency { get; set; }
    public bool IsActive { get; set; } = true;

    public override string AuditEntityType => "product";
}

public static class ProductTypes
{
    public const string Product = "product";
    public static readonly IReadOnlyList<string> All = [Product, "service", "subscription"];
}

public sealed class OpportunityProduct : TenantRow
{
    public Guid OpportunityId { get; set; }
    public Guid ProductId { get; set; }
    public decimal Quantity { get; set; }
    public decimal UnitPrice { get; set; }
}
