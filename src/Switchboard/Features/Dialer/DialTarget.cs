using Switchboard.Features.Calls;
using Switchboard.Features.Contacts;
using Switchboard.Features.Leads;

namespace Switchboard.Features.Dialer;

/// <summary>What a dialer session works on: a lead, or a contact at its first phone (ADR 0035).</summary>
public readonly record struct DialTarget(Guid Id, bool IsContact)
{
    public static DialTarget Lead(Guid id) => new(id, IsContact: false);

    public static DialTarget Contact(Guid id) => new(id, IsContact: true);

    /// <summary>The target a call, a session or a request names (at most one of the two is set; the lead wins otherwise).</summary>
    public static DialTarget? Of(Guid? leadId, Guid? contactId) =>
        leadId is { } lead ? Lead(lead) : contactId is { } contact ? Contact(contact) : null;

    public Guid? LeadId => IsContact ? null : Id;
    public Guid? ContactId => IsContact ? Id : null;

    /// <summary>"lead" or "contact", for messages.</summary>
    public string Noun => IsContact ? "contact" : "lead";
}

/// <summary>
/// A lead or a contact as the dialer orders and checks it: the one shape <see cref="CallableTargets"/> and
/// <see cref="DialerQueues.Ordered"/> work on, so leads and contacts share one order and one set of compliance rules.
/// A contact's phone is its first, its last call its latest outbound call; it has no zone of its own and no callback.
/// </summary>
public sealed class DialCandidate
{
    public Guid Id { get; init; }
    public bool IsContact { get; init; }
    public string Phone { get; init; } = "";
    public string? TimeZone { get; init; }
    public DateTimeOffset? CallbackAt { get; init; }
    public DateTimeOffset? LastCalledAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>Outbound calls to it since the start of the tenant's day (the attempt limit's count).</summary>
    public int AttemptsToday { get; init; }
}

/// <summary>The leads and the contacts a queue offers a session, before the compliance rules, as queries over their tables.</summary>
public sealed record DialPool(IQueryable<Lead> Leads, IQueryable<Contact> Contacts)
{
    public async Task<int> CountAsync(CancellationToken ct) => await Leads.CountAsync(ct) + await Contacts.CountAsync(ct);

    /// <summary>Both as one query of candidates (UNION ALL), each attempt count taken on its own index of calls.</summary>
    public IQueryable<DialCandidate> Candidates(IQueryable<Call> calls, DateTimeOffset dayStart)
    {
        const string outbound = CallDirections.Outbound;
        var leads = Leads.Select(l => new DialCandidate
        {
            Id = l.Id, IsContact = false, Phone = l.Phone!, TimeZone = l.TimeZone, CallbackAt = l.CallbackAt, LastCalledAt = l.LastCalledAt,
            CreatedAt = l.CreatedAt, AttemptsToday = calls.Count(c => c.LeadId == l.Id && c.Direction == outbound && c.CreatedAt >= dayStart),
        });
        var contacts = Contacts.Select(p => new DialCandidate
        {
            Id = p.Id, IsContact = true, Phone = p.Phones[0], TimeZone = null, CallbackAt = null,
            LastCalledAt = calls.Where(c => c.ContactId == p.Id && c.Direction == outbound).Max(c => (DateTimeOffset?)c.CreatedAt),
            CreatedAt = p.CreatedAt, AttemptsToday = calls.Count(c => c.ContactId == p.Id && c.Direction == outbound && c.CreatedAt >= dayStart),
        });
        return leads.Concat(contacts);
    }
}
