using Switchboard.Features.CustomFields;

namespace Switchboard.Records;

/// <summary>A record's own fields applied from its request body; problems go on <c>errors</c> under the member's name.</summary>
public delegate Task RecordApply<in T, in TWrite>(T record, TWrite body, ValidationErrors errors, bool isNew);

/// <summary>
/// The write flow every owned record shares (leads, accounts, contacts): role checks, owner rules, JSON merge patch,
/// If-Match and version checks, custom fields, and the concurrency-safe save. Each service supplies only its fields.
/// </summary>
[Scoped]
public sealed class OwnedRecordWriter(SwitchboardDbContext db, TenantContext ctx, CustomFieldValidator customFields)
{
    public string DefaultCountry => ctx.Tenant?.DefaultCountry ?? "US";

    public IQueryable<T> Visible<T>() where T : class, IOwnedRecord => db.Set<T>().VisibleTo(ctx);

    /// <summary>The record by id, untracked, when the caller may see it (one compiled query; see RecordVisibility).</summary>
    public Task<T?> FindVisibleAsync<T>(Guid id, CancellationToken ct) where T : class, IOwnedRecord => db.FindVisibleAsync<T>(id, ctx, ct);

    public async Task<Outcome<TDto>> CreateAsync<T, TWrite, TDto>(
        T record, string noun, TWrite body, RecordApply<T, TWrite> apply, Func<T, TDto> toDto, CancellationToken ct)
        where T : class, IOwnedRecord where TWrite : OwnedRecordWrite
    {
        if (!RecordPermissions.CanCreate(ctx)) return new Outcome<TDto>.Forbidden($"Your role cannot create {noun}s.");
        var errors = body.BindingErrors();
        if (body.Version.IsSet) errors.Add("version", "'version' cannot be set on create.");
        await ApplyCommonAsync(record, body, errors, isNew: true, ct);
        await apply(record, body, errors, true);
        if (!RecordPermissions.CanAssign(ctx))
        {
            if (body.OwnerId.IsSet && record.OwnerId != ctx.UserId)
                return new Outcome<TDto>.Forbidden($"Agents can only create {noun}s assigned to themselves.");
            record.OwnerId = ctx.UserId;
        }
        if (!errors.IsValid) return new Outcome<TDto>.Invalid(errors.ToDictionary());

        db.Set<T>().Add(record);
        await db.SaveChangesAsync(ct);
        return toDto(record);
    }

    /// <summary>Applies a JSON merge patch. <paramref name="ifMatch"/> is the version from an If-Match header, if any.</summary>
    public async Task<Outcome<TDto>> UpdateAsync<T, TWrite, TDto>(
        T? record, string noun, TWrite patch, int? ifMatch, RecordApply<T, TWrite> apply, Func<T, TDto> toDto, CancellationToken ct)
        where T : class, IOwnedRecord where TWrite : OwnedRecordWrite
    {
        if (record is null) return new Outcome<TDto>.NotFound();
        if (!RecordPermissions.CanEdit(ctx, record.OwnerId)) return new Outcome<TDto>.Forbidden($"Your role cannot edit this {noun}.");
        if (RecordSave.CheckVersion<TDto>(noun, record.Version, ifMatch, null) is { } stale) return stale;

        var errors = patch.BindingErrors();
        if (RecordSave.CheckVersion<TDto>(noun, record.Version, null, patch.Version.IsSet ? patch.Version.Value : null) is { } conflict)
            return conflict;
        var previousOwner = record.OwnerId;
        await ApplyCommonAsync(record, patch, errors, isNew: false, ct);
        await apply(record, patch, errors, false);
        if (record.OwnerId != previousOwner && !RecordPermissions.CanAssign(ctx))
            return new Outcome<TDto>.Forbidden($"Your role cannot reassign {noun}s.");
        if (!errors.IsValid) return new Outcome<TDto>.Invalid(errors.ToDictionary());

        return await db.SaveAsync(noun, () => toDto(record), ct);
    }

    public async Task<Outcome<bool>> DeleteAsync<T>(T? record, string noun, CancellationToken ct) where T : class, IOwnedRecord
    {
        if (record is null) return new Outcome<bool>.NotFound();
        if (!RecordPermissions.CanDelete(ctx)) return new Outcome<bool>.Forbidden($"Only administrators can delete {noun}s.");
        db.Set<T>().Remove(record);
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>A phone number in E.164, read with the tenant's default country; the error goes on <paramref name="field"/>.</summary>
    public string? Phone(string input, string field, ValidationErrors errors)
    {
        var parsed = PhoneNumbers.Normalize(input, DefaultCountry);
        if (parsed.Success) return parsed.E164;
        errors.Add(field, parsed.Error!);
        return null;
    }

    private async Task ApplyCommonAsync<T>(T record, OwnedRecordWrite body, ValidationErrors errors, bool isNew, CancellationToken ct)
        where T : class, IOwnedRecord
    {
        if (body.OwnerId is { IsSet: true } owner)
        {
            record.OwnerId = owner.Value;
            if (owner.Value is { } ownerId && !await db.Memberships.AnyAsync(m => m.UserId == ownerId && m.IsActive, ct))
                errors.Add("ownerId", "The owner must be an active member of this tenant.");
        }
        // The entity's audit type ("lead", "account", "contact") is also its custom-field entity.
        if ((isNew || body.Custom.IsSet)
            && await customFields.ValidateAsync(record.AuditEntityType, body.Custom.Value, record.Custom, isNew, errors, ct) is { } custom
            && !JsonDocumentComparer.Instance.Equals(custom, record.Custom))
            record.Custom = custom;
    }
}
