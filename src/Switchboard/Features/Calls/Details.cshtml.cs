using Microsoft.AspNetCore.Html;
using Switchboard.Features.Ai;
using Switchboard.Features.Contacts;
using Switchboard.Features.Leads;

namespace Switchboard.Features.Calls;

/// <summary>
/// One call: who, when, how long, its outcome, and — when it has a transcript — the AI's analysis beside the words it
/// came from: the summary, the follow-ups with their quotes (clicking one marks it in the transcript), suggestions to
/// accept or dismiss, the tasks it completed, and "undo AI changes".
/// </summary>
public sealed class CallDetailsModel(CallService calls, AnalysisService analyses, SwitchboardDbContext db, TenantContext ctx) : AppPageModel
{
    [FromRoute] public Guid Id { get; set; }
    public CallDto Call { get; private set; } = null!;
    public CallAnalysisDto? Analysis { get; private set; }
    /// <summary>The quotes of the analysis in the order the transcript marks them: action items, then fulfilments, then requests.</summary>
    public IReadOnlyList<string> Quotes { get; private set; } = [];
    public IReadOnlyList<TranscriptLine> Transcript { get; private set; } = [];
    public string? RecordName { get; private set; }
    public string? RecordUrl { get; private set; }
    public string? AgentName { get; private set; }
    public bool CanChange => CallService.CanCall(ctx);
    public TenantSettings? Tenant => ctx.Tenant;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await calls.FindAsync(Id, ct) is not { } call) return NotFound();
        Call = call;
        Analysis = await analyses.GetAsync(Id, ct) is Outcome<CallAnalysisDto>.Ok ok ? ok.Value : null;
        if (Analysis is { Status: AnalysisStatuses.Completed } analysis)
            Quotes = [.. analysis.ActionItems.Select(i => i.Quote), .. analysis.Fulfilled.Select(f => f.Quote), .. analysis.CustomerRequests.Select(r => r.Quote)];
        if (call.Transcript is { } text) Transcript = TranscriptView.Lines(text, Quotes);
        await LoadNamesAsync(call, ct);
        return Page();
    }

    private readonly HashSet<int> _anchored = [];

    /// <summary>
    /// A transcript line as HTML: the speaker, then the words, each quote's words marked (the first mark of quote i is
    /// the target of the analysis's link #quote-i). Built here rather than in markup so no whitespace slips between words.
    /// </summary>
    public IHtmlContent Render(TranscriptLine line)
    {
        var html = new HtmlContentBuilder();
        if (line.Speaker is { } speaker) html.AppendHtml("<span class=\"speaker\">").Append(speaker).AppendHtml("</span> ");
        foreach (var segment in line.Segments)
        {
            if (segment.Quote is not { } quote)
            {
                html.Append(segment.Text);
                continue;
            }
            html.AppendHtml(_anchored.Add(quote) ? $"<mark class=\"quote\" id=\"quote-{quote}\">" : "<mark class=\"quote\">").Append(segment.Text).AppendHtml("</mark>");
        }
        return html;
    }

    public async Task<IActionResult> OnPostRerunAsync(CancellationToken ct) =>
        FlashAndRedirect(await analyses.RerunAsync(Id, ct), _ => "The analysis runs again; reload in a moment to see it.", Here);

    public async Task<IActionResult> OnPostUndoAsync(CancellationToken ct) =>
        FlashAndRedirect(await analyses.UndoAsync(Id, ct), _ => "The AI's changes from this call are undone.", Here);

    public async Task<IActionResult> OnPostAcceptAsync(int index, CancellationToken ct) =>
        FlashAndRedirect(await analyses.AcceptAsync(Id, index, ct), _ => "Suggestion added to the tasks.", Here);

    public async Task<IActionResult> OnPostDismissAsync(int index, CancellationToken ct) =>
        FlashAndRedirect(await analyses.DismissAsync(Id, index, ct), _ => "Suggestion dismissed.", Here);

    private string Here => $"/calls/{Id}";

    private async Task LoadNamesAsync(CallDto call, CancellationToken ct)
    {
        if (call.LeadId is { } leadId && await db.Set<Lead>().AsNoTracking().Where(l => l.Id == leadId).Select(l => new { l.FirstName, l.LastName }).SingleOrDefaultAsync(ct) is { } lead)
            (RecordName, RecordUrl) = (Display.FullName(lead.FirstName, lead.LastName), $"/leads/{leadId}");
        else if (call.ContactId is { } contactId && await db.Set<Contact>().AsNoTracking().Where(c => c.Id == contactId).Select(c => new { c.FirstName, c.LastName }).SingleOrDefaultAsync(ct) is { } contact)
            (RecordName, RecordUrl) = (Display.FullName(contact.FirstName, contact.LastName), $"/contacts/{contactId}");
        if (call.AgentId is { } agentId)
            AgentName = await db.Users.Where(u => u.Id == agentId).Select(u => (u.FirstName + " " + u.LastName).Trim()).SingleOrDefaultAsync(ct);
    }
}
