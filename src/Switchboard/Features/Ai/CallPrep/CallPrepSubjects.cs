using Switchboard.Features.Accounts;
using Switchboard.Features.Calls;
using Switchboard.Features.Contacts;
using Switchboard.Features.Leads;

namespace Switchboard.Features.Ai.CallPrep;

/// <summary>
/// The lead or contact a call prep is about, as its own service shows it to the caller (null when they may not see it),
/// with the values the script's merge fields take and the leads converted into a contact (whose history it keeps).
/// </summary>
public sealed record CallPrepSubject(
    string Type, Guid Id, string FirstName, string LastName, string? Title, string? Company, Guid? AccountId, string? Phone, string? Email,
    string? Status, Guid? OwnerId, TimeZoneInfo Zone, DateTimeOffset? CallbackAt, bool DoNotCall, IReadOnlyList<Guid> ConvertedLeads)
{
    public string Name => Display.FullName(FirstName, LastName);
}

[Scoped]
public sealed class CallPrepSubjects(LeadService leads, ContactService contacts, AccountService accounts, SwitchboardDbContext db, TenantContext ctx)
{
    public async Task<CallPrepSubject?> LeadAsync(Guid id, CancellationToken ct) =>
        await leads.FindAsync(id, ct) is { } lead
            ? new CallPrepSubject("lead", lead.Id, lead.FirstName, lead.LastName, lead.Title, lead.Company, lead.ConvertedAccountId, lead.Phone, lead.Email,
                lead.Status, lead.OwnerId, CallbackTimes.ZoneOf(lead.TimeZone, lead.Phone, ctx.Tenant), lead.CallbackAt, lead.DoNotCall, [])
            : null;

    /// <summary>A contact's company is its account when the caller may see it; its zone is its number's (it has none of its own), as in the dialer.</summary>
    public async Task<CallPrepSubject?> ContactAsync(Guid id, CancellationToken ct)
    {
        if (await contacts.FindAsync(id, ct) is not { } contact) return null;
        var account = contact.AccountId is { } accountId ? await accounts.FindAsync(accountId, ct) : null;
        var phone = contact.Phones.FirstOrDefault();
        var converted = await db.Leads.AsNoTracking().Where(l => l.ConvertedContactId == id).Select(l => l.Id).ToListAsync(ct);
        return new CallPrepSubject("contact", contact.Id, contact.FirstName, contact.LastName, contact.Title, account?.Name, account?.Id, phone,
            contact.Emails.FirstOrDefault(), null, contact.OwnerId, CallbackTimes.ZoneOf(null, phone, ctx.Tenant), null, false, converted);
    }
}
