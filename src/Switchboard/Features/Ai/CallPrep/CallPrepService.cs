using System.Text.Encodings.Web;
using Switchboard.Features.Calls;
using Switchboard.Features.Dialer;

namespace Switchboard.Features.Ai.CallPrep;

/// <summary>
/// Call prep (issue 13 §4, ADR 0053): who the lead or contact is, their last five interactions, open tasks, the last
/// call with its summary and open promises, the script with its merge fields filled, and seven talking points. Whoever
/// may see the record may read it (404 otherwise); it changes nothing.
/// </summary>
// Wide on purpose: database, tenant and clock are ambient; the rest are the prep's parts, each its own service: who is
// called, their history, the script, the talking points.
[Scoped]
public sealed class CallPrepService(
    CallPrepSubjects subjects, CallPrepHistory history, CallPrepScripts scripts, TalkingPointWriters writers, SwitchboardDbContext db, TenantContext ctx, TimeProvider clock)
{
    public async Task<Outcome<CallPrepDto>> ForLeadAsync(Guid id, CallPrepQuery query, CancellationToken ct) =>
        await PrepareAsync(await subjects.LeadAsync(id, ct), query, ct);

    public async Task<Outcome<CallPrepDto>> ForContactAsync(Guid id, CallPrepQuery query, CancellationToken ct) =>
        await PrepareAsync(await subjects.ContactAsync(id, ct), query, ct);

    private async Task<Outcome<CallPrepDto>> PrepareAsync(CallPrepSubject? subject, CallPrepQuery query, CancellationToken ct)
    {
        if (subject is null) return new Outcome<CallPrepDto>.NotFound();
        var script = await scripts.ForAsync(query.QueueId, subject, ct);
        if (script is Outcome<CallPrepScript?>.Invalid invalid) return new Outcome<CallPrepDto>.Invalid(invalid.Errors);

        var members = await LeadOwners.ListAsync(db, ct);
        var parts = await history.ReadAsync(subject, members, ct);
        var now = clock.GetUtcNow();
        var owner = subject.OwnerId is { } ownerId ? new CallPrepOwner(ownerId, LeadOwners.NameOf(members, ownerId)) : null;
        var record = new CallPrepRecord(
            subject.Type, subject.Id, subject.Name, subject.Title, subject.Company, subject.AccountId, subject.Phone, subject.Email, subject.Status, owner,
            subject.Zone.Id, TimeZoneInfo.ConvertTime(now, subject.Zone), parts.Interactions.FirstOrDefault()?.At, subject.CallbackAt, subject.DoNotCall);
        var facts = new TalkingPointFacts(record, parts.Interactions, parts.OpenTasks, parts.LastCall, parts.LastNote, now,
            Platform.TimeZones.FindOrUtc(ctx.Tenant?.TimeZone));
        var (points, source) = await writers.WriteAsync(facts, ct);
        return new CallPrepDto(record, parts.Interactions, parts.OpenTasks, parts.LastCall, ((Outcome<CallPrepScript?>.Ok)script).Value, points, source);
    }
}

/// <summary>
/// The script part of a call prep, filled by the dialer's own merge-field code (<see cref="CallScripts"/>). Queues have
/// no script of their own: every queue reads the workspace's call script (calling settings), so a queue id only names
/// the queue it is for and must be one of the caller's own queues (they are private); without one the prep still shows
/// that script. Null when the workspace has no script.
/// </summary>
[Scoped]
public sealed class CallPrepScripts(CallScripts scripts, DialerQueues queues)
{
    public const string DefaultName = "Call script";

    public async Task<Outcome<CallPrepScript?>> ForAsync(Guid? queueId, CallPrepSubject subject, CancellationToken ct)
    {
        string name = DefaultName;
        if (queueId is { } id)
        {
            if (await queues.FindOwnAsync(id, ct) is not { } queue)
                return new Outcome<CallPrepScript?>.Invalid(new Dictionary<string, string[]> { ["queueId"] = ["No dialer queue of yours has this id."] });
            name = queue.Name;
        }
        if (await scripts.RenderAsync(subject.FirstName, subject.LastName, subject.Company, ct) is not { } html) return new Outcome<CallPrepScript?>.Ok(null);
        using var writer = new StringWriter();
        html.WriteTo(writer, HtmlEncoder.Default);
        return new Outcome<CallPrepScript?>.Ok(new CallPrepScript(queueId, name, writer.ToString()));
    }
}
