namespace Switchboard.Features.Opportunities;

public sealed record StageDto(Guid Id, string Name, int Position, int Probability, string Kind);

public sealed record PipelineList(IReadOnlyList<PipelineDto> Items);

public sealed record PipelineDto(Guid Id, string Name, int Position, bool IsDefault, IReadOnlyList<StageDto> Stages, int Version) : IVersionedRecord;

/// <summary>The body of POST and PATCH /api/v1/pipelines. Stages, when sent, replace the list in order; keep an id to keep the stage.</summary>
public sealed record PipelineWrite(string? Name, int? Position, bool? IsDefault, IReadOnlyList<StageWrite>? Stages, int? Version);

public sealed record StageWrite(Guid? Id, string? Name, int? Probability, string? Kind);

public sealed record OpportunityDto(
    Guid Id, string Name, Guid? AccountId, Guid? ContactId, decimal? Amount, string Currency, Guid PipelineId, Guid StageId,
    string Status, int Probability, DateOnly? ExpectedClose, Guid? OwnerId, string? LostReason, DateTimeOffset? ClosedAt,
    bool HasProducts, JsonElement Custom, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int Version) : IVersionedRecord;

/// <summary>The body of POST and PATCH /api/v1/opportunities (PATCH is a JSON merge patch of it).</summary>
public sealed record OpportunityWrite(
    string? Name, Guid? AccountId, Guid? ContactId, decimal? Amount, string? Currency, Guid? PipelineId, Guid? StageId,
    int? Probability, DateOnly? ExpectedClose, Guid? OwnerId, string? LostReason, JsonElement? Custom, int? Version);

public sealed record OpportunityQuery(
    string? Q, Guid? PipelineId, Guid? StageId, Guid? OwnerId, Guid? AccountId, string? Status, string? Sort, int? Page, int? PageSize);

public sealed record BoardCard(Guid Id, string Name, Guid? AccountId, string? AccountName, decimal? Amount, string Currency, int Probability, Guid? OwnerId, int Version);

public sealed record BoardStage(Guid Id, string Name, string Kind, int Probability, int Count, decimal Amount, decimal WeightedAmount, IReadOnlyList<BoardCard> Opportunities);

public sealed record BoardDto(Guid PipelineId, string PipelineName, IReadOnlyList<PipelineSummary> Pipelines, IReadOnlyList<BoardStage> Stages);

public sealed record PipelineSummary(Guid Id, string Name, bool IsDefault);

public sealed record ProductDto(Guid Id, string Name, string Type, decimal Price, string Currency, bool Active, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int Version) : IVersionedRecord;

public sealed record ProductWrite(string? Name, string? Type, decimal? Price, string? Currency, bool? Active, int? Version);

public sealed record ProductQuery(string? Q, bool? Active, int? Page, int? PageSize);

public sealed record LineDto(Guid Id, Guid ProductId, string ProductName, decimal Quantity, decimal UnitPrice, decimal Total);

public sealed record LinesDto(IReadOnlyList<LineDto> Items, decimal Total, string Currency);

/// <summary>The body of PUT /api/v1/opportunities/{id}/products: the whole list; unitPrice defaults to the product's price.</summary>
public sealed record LinesWrite(IReadOnlyList<LineWrite> Items);

public sealed record LineWrite(Guid ProductId, decimal Quantity, decimal? UnitPrice);
