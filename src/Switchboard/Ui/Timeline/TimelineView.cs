using Switchboard.Features.Activities;

namespace Switchboard.Ui.Timeline;

/// <summary>What _Timeline.cshtml shows: one page of a record's timeline (the newest first), in the tenant's time zone.</summary>
public sealed record TimelineView(string RelatedType, Guid RelatedId, IReadOnlyList<TimelineItem> Items, int Total, int Page, TenantSettings? Tenant)
{
    public const int PageSize = 50;

    /// <summary>The query parameter that pages the card (1: the newest entries), so older entries are a link away.</summary>
    public const string PageParameter = "timelinePage";

    /// <summary>The page of the timeline the request asks for: a whole number from 1 (the timeline holds at most a few thousand entries), anything else is the first page.</summary>
    public static int PageFrom(HttpRequest request) =>
        int.TryParse(request.Query[PageParameter], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var page)
        && page is >= 1 and <= 10_000 ? page : 1;

    /// <summary>Whether there are older entries than the ones shown.</summary>
    public bool HasOlder => Page * PageSize < Total;

    /// <summary>The number of the first entry shown (1-based).</summary>
    public int FirstShown => (Page - 1) * PageSize + 1;

    /// <summary>Where the page re-fetches this card when one of the record's calls changes (null: the card stays as rendered).</summary>
    public string? RefreshUrl { get; init; }

    /// <summary>Whether the caller may write notes here (the "Add note" form shows only then).</summary>
    public bool CanWriteNotes { get; init; }

    /// <summary>Whether the "Add task" form shows: the page posts it to a "Task" handler and the caller may create activities.</summary>
    public bool CanAddTasks { get; init; }

    /// <summary>The "Add task" form as it was refused (what was typed and why), or empty.</summary>
    public TaskDraft Task { get; init; } = TaskDraft.Empty;

    /// <summary>The notes on this page the caller may edit and delete (NoteService's rule: the author, or an admin).</summary>
    public IReadOnlySet<Guid> ChangeableNotes { get; init; } = new HashSet<Guid>();

    /// <summary>A note form that was posted and refused: what was typed, which note (null for a new one) and why.</summary>
    public NoteDraft? Draft { get; init; }

    public bool CanChange(TimelineItem item) => item is { Kind: "note", Id: { } id } && ChangeableNotes.Contains(id);

    /// <summary>The draft for the note with this id (null: the "Add note" form), when that is the form that was refused.</summary>
    public NoteDraft? DraftFor(Guid? noteId) => Draft is { } draft && draft.NoteId == noteId ? draft : null;

    /// <summary>
    /// Builds the view for a record page. Null when the record is not visible to the caller (the page has usually
    /// answered 404 already), so a page can simply skip the card.
    /// </summary>
    public static async Task<TimelineView?> BuildAsync(TimelineService timeline, TenantContext ctx, string relatedType, Guid relatedId, int page, CancellationToken ct)
    {
        var outcome = await timeline.ListAsync(new TimelineQuery(relatedType, relatedId, page, PageSize), ct);
        if (outcome is not Outcome<PagedList<TimelineItem>>.Ok ok) return null;
        var items = ok.Value.Items;
        return new TimelineView(relatedType, relatedId, items, ok.Value.Total, page, ctx.Tenant)
        {
            CanWriteNotes = ActivityPermissions.CanWrite(ctx),
            // The rule takes a note; the timeline entry carries what it looks at (the author).
            ChangeableNotes = items
                .Where(i => i is { Kind: "note", Id: not null }
                            && ActivityPermissions.CanChangeNote(ctx, new Note { Body = "", RelatedType = relatedType, AuthorId = i.ActorId }))
                .Select(i => i.Id!.Value)
                .ToHashSet(),
        };
    }
}

/// <summary>A note form: the note it is about (null: a new note), its text, and the message when it was refused; _NoteForm.cshtml shows it.</summary>
public sealed record NoteDraft(Guid? NoteId, string? Body, string? Error);
