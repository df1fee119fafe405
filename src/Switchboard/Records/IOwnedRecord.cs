namespace Switchboard.Records;

/// <summary>
/// A CRM record with an owner, custom fields, an optimistic-concurrency version and an audit trail (leads, accounts,
/// contacts, opportunities). Everything the record kit does — visibility, the role rules, the write flow, the shared
/// endpoints and pages — works on this shape.
/// </summary>
public interface IOwnedRecord : ITenantOwned, IAudited, IVersioned
{
    Guid Id { get; }
    Guid? OwnerId { get; set; }
    JsonDocument Custom { get; set; }
}

/// <summary>What the shared endpoints and pages need of a record's response body.</summary>
public interface IVersionedDto : IVersionedRecord
{
    Guid? OwnerId { get; }
    DateTimeOffset CreatedAt { get; }
    DateTimeOffset UpdatedAt { get; }
}

/// <summary>The use cases every owned-record service offers; the endpoints in <see cref="RecordEndpoints"/> map them.</summary>
public interface IOwnedRecordService<TDto, in TQuery, in TWrite> : IOwnedRecordStore<TDto, TWrite> where TWrite : OwnedRecordWrite
{
    Task<Platform.Web.Outcome<Platform.Web.PagedList<TDto>>> ListAsync(TQuery query, CancellationToken ct);
}

/// <summary>The single-record use cases, which the API and the new, edit and details pages share.</summary>
public interface IOwnedRecordStore<TDto, in TWrite> : IRecordStore<TDto, TWrite> where TWrite : OwnedRecordWrite;
