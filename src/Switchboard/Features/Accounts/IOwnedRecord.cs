using System.Text.Json;
using Switchboard.Platform.Audit;
using Switchboard.Platform.Tenancy;

namespace Switchboard.Features.Accounts;

/// <summary>A CRM record with an owner, an optimistic-concurrency version and an audit trail (accounts, contacts).</summary>
public interface IOwnedRecord : ITenantOwned, IAudited
{
    Guid Id { get; }
    Guid? OwnerId { get; set; }
    int Version { get; set; }
    DateTimeOffset UpdatedAt { get; set; }
    JsonDocument Custom { get; set; }
}

/// <summary>What the shared endpoints and pages need of a record's response body.</summary>
public interface IVersionedDto : Platform.Web.IVersionedRecord
{
    Guid? OwnerId { get; }
}

/// <summary>The use cases every owned-record service offers; the endpoints in <see cref="OwnedRecordEndpoints"/> map them.</summary>
public interface IOwnedRecordService<TDto, in TQuery> : IOwnedRecordStore<TDto>
{
    Task<Platform.Web.Outcome<Platform.Web.PagedList<TDto>>> ListAsync(TQuery query, CancellationToken ct);
}

/// <summary>The single-record use cases, which the API and the new, edit and details pages share.</summary>
public interface IOwnedRecordStore<TDto> : Platform.Web.IRecordStore<TDto>;
