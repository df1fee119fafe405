using Npgsql;
using NpgsqlTypes;

namespace Switchboard.Features.Mailboxes;

/// <summary>
/// Links a message to every lead and contact whose address is among its from/to/cc (case-insensitive), and to each such
/// contact's account, leaving out the mailbox's own address. Each link carries its thread: the thread of the earlier
/// message with the same counterparty that this one names in In-Reply-To or References (or that names this one), else a new one — so a changed
/// subject stays in its thread, and two people answering one newsletter start two threads.
/// </summary>
[Scoped]
public sealed class EmailLinker(SwitchboardDbContext db)
{
    public async Task<IReadOnlyList<EmailLink>> LinkAsync(EmailMessage message, string mailboxAddress, CancellationToken ct)
    {
        var addresses = message.ToAddresses.Concat(message.CcAddresses).Append(message.FromAddress)
            .Select(a => a.Trim().ToLowerInvariant()).Where(a => a.Length > 0 && a != mailboxAddress.Trim().ToLowerInvariant())
            .Distinct().ToArray();
        if (addresses.Length == 0) return [];
        var parameter = new NpgsqlParameter("addresses", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = addresses };
        var people = await db.Database.SqlQueryRaw<Counterparty>("""
            select 'lead' as "Type", id as "Id", null::uuid as "AccountId" from leads where lower(email) = any(@addresses)
            union all
            select 'contact', id, account_id from contacts c where exists (select 1 from unnest(c.emails) e where lower(e) = any(@addresses))
            """, parameter).ToListAsync(ct);
        var referenced = message.References.Append(message.InReplyTo).OfType<string>().Distinct().ToList();
        var links = new List<EmailLink>();
        foreach (var person in people)
        {
            var thread = await ThreadAsync(person.Type, person.Id, referenced, message.MessageId, ct) ?? Guid.CreateVersion7();
            links.Add(Link(message, person.Type, person.Id, thread));
            if (person.AccountId is { } account && !links.Any(l => l.RelatedType == "account" && l.RelatedId == account))
                links.Add(Link(message, "account", account, thread));
        }
        return links;
    }

    /// <summary>
    /// The thread of a stored message with this counterparty that the new one refers to, or — as mail does not arrive
    /// in order (a reply can be synced from INBOX before the message it answers is synced from Sent) — that refers to it.
    /// </summary>
    private async Task<Guid?> ThreadAsync(string type, Guid id, List<string> referenced, string messageId, CancellationToken ct) =>
        await (from l in db.Set<EmailLink>()
               join m in db.Set<EmailMessage>() on l.EmailId equals m.Id
               where l.RelatedType == type && l.RelatedId == id
                     && (referenced.Contains(m.MessageId) || m.InReplyTo == messageId || m.References.Contains(messageId))
               orderby m.SentAt descending
               select (Guid?)l.ThreadId).FirstOrDefaultAsync(ct);

    private static EmailLink Link(EmailMessage message, string type, Guid id, Guid thread) =>
        new() { TenantId = message.TenantId, EmailId = message.Id, RelatedType = type, RelatedId = id, ThreadId = thread };

    private sealed record Counterparty(string Type, Guid Id, Guid? AccountId);
}

/// <summary>
/// Told when an inbound message has been stored — from a known person (its <see cref="InboundEmail.Links"/> name the
/// leads and contacts) or not (no links: a new requester, a bounce report): the hook sequences (stop on reply, bounces)
/// and the support inbox build on. Called from the job <c>mailboxes.inbound</c>, written in the transaction that stored
/// the message, so a notice is never lost; a job may run twice, so an observer must be idempotent. A mailbox's first
/// sync imports its history too: an observer that acts only on new mail compares the message's date with its own start.
/// </summary>
public interface IInboundEmailObserver
{
    Task OnInboundAsync(InboundEmail email, CancellationToken ct);
}

public sealed record InboundEmail(Guid TenantId, Guid MailboxId, Guid EmailId, string FromAddress, string Subject, IReadOnlyList<EmailLinkDto> Links);

/// <summary>Hands a stored inbound message to every <see cref="IInboundEmailObserver"/> (job <c>mailboxes.inbound</c>).</summary>
public sealed class InboundEmailNotice(IEnumerable<IInboundEmailObserver> observers) : IJobHandler
{
    public const string JobKind = "mailboxes.inbound";

    public string Kind => JobKind;

    public async Task HandleAsync(Job job, CancellationToken ct)
    {
        var email = job.Read<InboundEmail>();
        foreach (var observer in observers) await observer.OnInboundAsync(email, ct);
    }
}
