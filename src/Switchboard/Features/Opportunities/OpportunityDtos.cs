namespace Switchboard.Features.Opportunities;

public sealed record StageDto(Guid Id, string Name, int Position, int Probability, string Kind);

public sealed record PipelineList(IReadOnlyList<PipelineDto> Items);

public sealed record PipelineDto(Guid Id, string Name, int Position, bool IsDefault, IReadOnlyList<StageDto> Stages, int Version) : IVersionedRecord;

/// <summary>The body of POST and PATCH /api/v1/pipelines. Stages, when sent, replace the list in order; keep an id to keep the stage.</summary>
public sealed record PipelineWrite : RequestBody
{
    public Optional<string?> Name { get; init; }
    public Optional<int?> Position { get; init; }
    /// <summary>Only true, and only on PATCH: makes this pipeline the default instead of the current one.</summary>
    public Optional<bool?> IsDefault { get; init; }
    public Optional<IReadOnlyList<StageWrite>?> Stages { get; init; }
    public Optional<int?> Version { get; init; }
}

/// <summary>One stage of a pipeline's list: an id keeps an existing stage; kind defaults to open; won and lost default their probability.</summary>
public sealed record StageWrite : RequestBody
{
    public Optional<Guid?> Id { get; init; }
    public Optional<string?> Name { get; init; }
    public Optional<int?> Probability { get; init; }
    /// <summary>One of <see cref="StageKinds.All"/>.</summary>
    public Optional<string?> Kind { get; init; }
}

public sealed record OpportunityDto(
    Guid Id, string Name, Guid? AccountId, Guid? ContactId, decimal? Amount, string Currency, Guid PipelineId, Guid StageId,
    string Status, int Probability, DateOnly? ExpectedClose, Guid? OwnerId, string? LostReason, DateTimeOffset? ClosedAt,
    bool HasProducts, JsonElement Custom, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int Version) : IVersionedDto;

/// <summary>The body of POST and PATCH /api/v1/opportunities (PATCH is a JSON merge patch of it), and the opportunity part of a lead conversion.</summary>
public sealed record OpportunityWrite : OwnedRecordWrite
{
    public Optional<string?> Name { get; init; }
    public Optional<Guid?> AccountId { get; init; }
    public Optional<Guid?> ContactId { get; init; }
    /// <summary>Zero or more, at most two decimal places; set by the product lines while the opportunity has any.</summary>
    public Optional<decimal?> Amount { get; init; }
    /// <summary>An ISO 4217 code such as USD; fixed while the opportunity has product lines.</summary>
    public Optional<string?> Currency { get; init; }
    public Optional<Guid?> PipelineId { get; init; }
    public Optional<Guid?> StageId { get; init; }
    /// <summary>0 to 100; a stage change resets it to the stage's unless it is sent.</summary>
    public Optional<int?> Probability { get; init; }
    public Optional<DateOnly?> ExpectedClose { get; init; }
    /// <summary>Required while the opportunity is in a lost stage.</summary>
    public Optional<string?> LostReason { get; init; }
}

public sealed record OpportunityQuery(
    string? Q, Guid? PipelineId, Guid? StageId, Guid? OwnerId, Guid? AccountId, string? Status, string? Sort, int? Page, int? PageSize);

public sealed record BoardCard(Guid Id, string Name, Guid? AccountId, string? AccountName, decimal? Amount, string Currency, int Probability, Guid? OwnerId, int Version);

public sealed record BoardStage(Guid Id, string Name, string Kind, int Probability, int Count, decimal Amount, decimal WeightedAmount, IReadOnlyList<BoardCard> Opportunities);

public sealed record BoardDto(Guid PipelineId, string PipelineName, IReadOnlyList<PipelineSummary> Pipelines, IReadOnlyList<BoardStage> Stages);

public sealed record PipelineSummary(Guid Id, string Name, bool IsDefault);

public sealed record ProductDto(Guid Id, string Name, string Type, decimal Price, string Currency, bool Active, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int Version) : IVersionedRecord;

/// <summary>The body of POST and PATCH /api/v1/products (PATCH is a JSON merge patch of it).</summary>
public sealed record ProductWrite : RequestBody
{
    public Optional<string?> Name { get; init; }
    /// <summary>One of <see cref="ProductTypes.All"/>.</summary>
    public Optional<string?> Type { get; init; }
    /// <summary>Required on create: zero or more, at most two decimal places.</summary>
    public Optional<decimal?> Price { get; init; }
    public Optional<string?> Currency { get; init; }
    public Optional<bool?> Active { get; init; }
    public Optional<int?> Version { get; init; }
}

public sealed record ProductQuery(string? Q, bool? Active, int? Page, int? PageSize);

public sealed record LineDto(Guid Id, Guid ProductId, string ProductName, decimal Quantity, decimal UnitPrice, decimal Total);

public sealed record LinesDto(IReadOnlyList<LineDto> Items, decimal Total, string Currency);

/// <summary>The body of PUT /api/v1/opportunities/{id}/products: the whole list; unitPrice defaults to the product's price.</summary>
public sealed record LinesWrite : RequestBody
{
    public Optional<IReadOnlyList<LineWrite>?> Items { get; init; }
}

/// <summary>One product line: the product, a quantity above 0, and optionally a unit price other than the product's.</summary>
public sealed record LineWrite : RequestBody
{
    public Optional<Guid?> ProductId { get; init; }
    public Optional<decimal?> Quantity { get; init; }
    public Optional<decimal?> UnitPrice { get; init; }
}
