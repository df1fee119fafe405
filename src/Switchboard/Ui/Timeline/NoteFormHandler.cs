using Switchboard.Features.Activities;

namespace Switchboard.Ui.Timeline;

/// <summary>The note form of a record page's timeline (_NoteForm.cshtml), posted to the page's "Note" handler.</summary>
public sealed class NoteForm
{
    public const string Add = "add";
    public const string Edit = "edit";
    public const string Delete = "delete";

    /// <summary>add (the default), edit or delete.</summary>
    public string? Action { get; set; }

    /// <summary>The note edited or deleted; empty when adding.</summary>
    public Guid? Id { get; set; }

    public string? Body { get; set; }
}

/// <summary>A record page that shows the timeline card, so a refused note form can be put back into it.</summary>
public interface IRecordTimelinePage
{
    TimelineView? RecordTimeline { get; set; }
}

/// <summary>
/// The one "Note" page handler every record page delegates to: adds, edits or deletes a note through
/// <see cref="NoteService"/> (its permission rules and validation), then redirects back to the timeline; a refused
/// form re-renders the page with the text and the service's message next to it.
/// </summary>
public static class NoteFormHandler
{
    public static async Task<IActionResult> HandleAsync<TPage>(
        TPage page, NoteService notes, NoteForm form, string relatedType, Guid relatedId, Func<Task<IActionResult>> render, CancellationToken ct)
        where TPage : AppPageModel, IRecordTimelinePage
    {
        var action = form.Action ?? NoteForm.Add;
        Outcome<bool> outcome;
        switch (action)
        {
            case NoteForm.Add:
                outcome = Done(await notes.CreateAsync(new NoteWrite
                {
                    Body = Optional.Text(form.Body), RelatedType = Optional.Of<string?>(relatedType), RelatedId = Optional.Of<Guid?>(relatedId),
                }, ct));
                break;
            case NoteForm.Edit when form.Id is { } id:
                outcome = Done(await notes.UpdateAsync(id, new NoteWrite { Body = Optional.Text(form.Body) }, null, ct));
                break;
            case NoteForm.Delete when form.Id is { } id:
                outcome = await notes.DeleteAsync(id, ct);
                break;
            default:
                return page.BadRequest();
        }

        string message;
        switch (outcome)
        {
            case Outcome<bool>.Ok:
                page.Flash(action switch { NoteForm.Add => "Note added.", NoteForm.Edit => "Note saved.", _ => "Note deleted." });
                return page.LocalRedirect(page.Request.Path + "#record-timeline");
            case Outcome<bool>.NotFound:
                return page.NotFound();
            case Outcome<bool>.Forbidden:
                return page.Forbid();
            default:
                message = outcome.Problem ?? "";
                break;
        }

        var result = await render();
        if (page.RecordTimeline is { } timeline)
            page.RecordTimeline = timeline with { Draft = new NoteDraft(action == NoteForm.Add ? null : form.Id, form.Body, message) };
        return result;
    }

    /// <summary>The note outcome without its value: the handler only needs to know how it went.</summary>
    private static Outcome<bool> Done(Outcome<NoteDto> outcome) => outcome switch
    {
        Outcome<NoteDto>.Ok => true,
        Outcome<NoteDto>.Invalid invalid => new Outcome<bool>.Invalid(invalid.Errors),
        Outcome<NoteDto>.Conflict conflict => new Outcome<bool>.Conflict(conflict.Message),
        Outcome<NoteDto>.PreconditionFailed failed => new Outcome<bool>.PreconditionFailed(failed.Message),
        Outcome<NoteDto>.Forbidden forbidden => new Outcome<bool>.Forbidden(forbidden.Message),
        _ => new Outcome<bool>.NotFound(),
    };
}

