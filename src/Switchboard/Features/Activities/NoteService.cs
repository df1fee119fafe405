namespace Switchboard.Features.Activities;

/// <summary>The note use cases: a markdown body about one record, rendered to sanitized HTML on every read.</summary>
[Scoped]
public sealed class NoteService(SwitchboardDbContext db, TenantContext ctx, RelatedRecords related) : IRecordStore<NoteDto, NoteWrite>
{
    public async Task<Outcome<PagedList<NoteDto>>> ListAsync(NoteQuery query, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var paging = PageRequest.Validate(query.Page, query.PageSize, errors);
        if (query.RelatedType is not null && !RelatedTypes.All.Contains(query.RelatedType))
            errors.Add("relatedType", $"'{query.RelatedType}' is not a valid relatedType. Use one of: {string.Join(", ", RelatedTypes.All)}.");
        if ((query.RelatedType is null) != (query.RelatedId is null)) errors.Add("relatedId", "relatedType and relatedId go together.");
        if (!errors.IsValid) return new Outcome<PagedList<NoteDto>>.Invalid(errors.ToDictionary());

        var rows = Visible();
        if (query.RelatedType is { } type && query.RelatedId is { } id) rows = rows.Where(n => n.RelatedType == type && n.RelatedId == id);
        var page = await paging.ApplyAsync(db, rows.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).AsNoTracking(), ct);
        return page.Map(ToDto);
    }

    public async Task<NoteDto?> FindAsync(Guid id, CancellationToken ct) =>
        await Visible().AsNoTracking().SingleOrDefaultAsync(n => n.Id == id, ct) is { } note ? ToDto(note) : null;

    public async Task<Outcome<NoteDto>> CreateAsync(NoteWrite body, CancellationToken ct)
    {
        if (!ActivityPermissions.CanWrite(ctx)) return new Outcome<NoteDto>.Forbidden("Your role cannot write notes.");
        var errors = body.BindingErrors();
        if (body.Version.IsSet) errors.Add("version", "'version' cannot be set on create.");
        var text = body.Body.Value;
        var type = body.RelatedType.OneOf("relatedType", RelatedTypes.All, errors).Value;
        var relatedId = body.RelatedId.Value;
        ValidateBody(text, errors);
        await related.ValidateAsync(type, relatedId, required: true, errors, ct);
        if (!errors.IsValid) return new Outcome<NoteDto>.Invalid(errors.ToDictionary());

        var note = new Note
        {
            Id = Guid.CreateVersion7(), Body = text!, RelatedType = type!, RelatedId = relatedId!.Value, AuthorId = ctx.UserId,
        };
        db.Set<Note>().Add(note);
        await db.SaveChangesAsync(ct);
        return ToDto(note);
    }

    public async Task<Outcome<NoteDto>> UpdateAsync(Guid id, NoteWrite patch, int? ifMatch, CancellationToken ct)
    {
        var note = await Visible().SingleOrDefaultAsync(n => n.Id == id, ct);
        if (note is null) return new Outcome<NoteDto>.NotFound();
        if (!ActivityPermissions.CanChangeNote(ctx, note)) return new Outcome<NoteDto>.Forbidden("Only the author (or an administrator) can edit a note.");
        if (ifMatch is { } expected && expected != note.Version)
            return new Outcome<NoteDto>.PreconditionFailed($"The note has changed since version {expected}; it is now at version {note.Version}. Reload and retry.");

        var errors = patch.BindingErrors();
        if (patch.Version is { IsSet: true, Value: { } v } && v != note.Version)
            return new Outcome<NoteDto>.Conflict($"The note has changed since version {v}; it is now at version {note.Version}. Reload and retry.");
        if (Sent(patch.RelatedType) || Sent(patch.RelatedId)) errors.Add("relatedId", "A note cannot be moved to another record.");
        if (patch.Body is { IsSet: true } body)
        {
            ValidateBody(body.Value, errors);
            if (body.Value is not null) note.Body = body.Value;
        }
        if (!errors.IsValid) return new Outcome<NoteDto>.Invalid(errors.ToDictionary());

        if (!await db.TrySaveAsync(ct)) return RecordSave.Conflict<NoteDto>("note");
        return ToDto(note);
    }

    public async Task<Outcome<bool>> DeleteAsync(Guid id, CancellationToken ct)
    {
        var note = await Visible().SingleOrDefaultAsync(n => n.Id == id, ct);
        if (note is null) return new Outcome<bool>.NotFound();
        if (!ActivityPermissions.CanChangeNote(ctx, note)) return new Outcome<bool>.Forbidden("Only the author (or an administrator) can delete a note.");
        db.Set<Note>().Remove(note);
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>Agents see notes they wrote and notes about records they own; other roles all of the tenant's.</summary>
    internal IQueryable<Note> Visible()
    {
        if (RecordVisibility.OwnerScope(ctx) is null) return db.Set<Note>();
        var self = ctx.RequiredUserId;
        return db.Set<Note>().FromSql($"""
            select * from notes n
            where n.author_id = {self}
               or (n.related_type = 'lead' and exists (select 1 from leads r where r.tenant_id = n.tenant_id and r.id = n.related_id and r.owner_id = {self}))
               or (n.related_type = 'contact' and exists (select 1 from contacts r where r.tenant_id = n.tenant_id and r.id = n.related_id and r.owner_id = {self}))
               or (n.related_type = 'account' and exists (select 1 from accounts r where r.tenant_id = n.tenant_id and r.id = n.related_id and r.owner_id = {self}))
               or (n.related_type = 'opportunity' and exists (select 1 from opportunities r where r.tenant_id = n.tenant_id and r.id = n.related_id and r.owner_id = {self}))
            """);
    }

    /// <summary>Whether the member was in the body at all, even with a value of the wrong type.</summary>
    private static bool Sent<T>(Optional<T> member) => member.IsSet || member.Error is not null;

    private static void ValidateBody(string? body, ValidationErrors errors) => errors.Required("body", body, "Body", 100_000);

    public static NoteDto ToDto(Note n) =>
        new(n.Id, n.Body, MarkdownRenderer.ToHtml(n.Body), n.RelatedType, n.RelatedId, n.AuthorId, n.CreatedAt, n.UpdatedAt, n.Version);
}
