namespace Switchboard.Records;

/// <summary>
/// The members every owned record's request body has (lead, account, contact): its owner, the version the client
/// last read (a stale one is a 409), and its custom field values (an object of field keys; null clears them all).
/// Each record's body derives from it with its own fields.
/// </summary>
public abstract record OwnedRecordWrite : RequestBody
{
    public Optional<Guid?> OwnerId { get; init; }
    public Optional<int?> Version { get; init; }
    public Optional<JsonElement?> Custom { get; init; }

    /// <summary>This body with the shared members a form page adds to what its form posted.</summary>
    public OwnedRecordWrite WithShared(Optional<Guid?> ownerId, Optional<int?> version, Optional<JsonElement?> custom) =>
        this with { OwnerId = ownerId, Version = version, Custom = custom };
}
