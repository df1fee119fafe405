namespace Switchboard.Features.Dialer;

/// <summary>The caller's queues for a contact's "Add to dialer queue", and which of them already hold it.</summary>
public sealed record AddToQueueModel(Guid ContactId, IReadOnlyList<DialerQueueDto> Queues, IReadOnlySet<Guid> Holding);

/// <summary>
/// The contact page's "Add to dialer queue" (ADR 0035): <c>@await Component.InvokeAsync("AddToQueue", new { contactId })</c>.
/// Its form posts to the contact page's AddToQueue handler, which adds it through <see cref="DialerQueueMembers"/>.
/// </summary>
public sealed class AddToQueueViewComponent(DialerQueues queues, DialerQueueMembers members) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(Guid contactId)
    {
        var ct = HttpContext.RequestAborted;
        return View("Default", new AddToQueueModel(contactId, await queues.ListOwnAsync(ct), await members.QueuesHoldingAsync(contactId, ct)));
    }
}
