using Switchboard.Features.Accounts;
using Switchboard.Features.Contacts;
using Switchboard.Features.Modules;
using Switchboard.Features.Opportunities;

namespace Switchboard.Features.Leads;

/// <summary>The outcome of POST /api/v1/leads/{id}/convert: the converted lead and the records it became.</summary>
public sealed record LeadConversionDto(LeadDto Lead, Guid AccountId, bool AccountCreated, Guid ContactId, Guid? OpportunityId);

/// <summary>
/// The body of POST /api/v1/leads/{id}/convert. Every part is optional, and each member of a part overrides what the
/// lead would give it (null included). The opportunity is an opportunity's create body.
/// </summary>
public sealed record LeadConversionWrite : RequestBody
{
    public Optional<ConversionAccountWrite?> Account { get; init; }
    public Optional<ContactWrite?> Contact { get; init; }
    public Optional<OpportunityWrite?> Opportunity { get; init; }
}

/// <summary>The account part: <c>id</c> alone links an existing account; the fields of a new one create it.</summary>
public sealed record ConversionAccountWrite : AccountWrite
{
    public Optional<Guid?> Id { get; init; }
}

/// <summary>An existing account the lead would be linked to by default (its email domain matches).</summary>
public sealed record AccountMatch(Guid Id, string Name);

/// <summary>
/// Converts a lead into an account, a contact at it and optionally an opportunity, in one transaction. The new
/// records go through the account, contact and opportunity services, so their validation, custom fields and
/// role rules apply unchanged; their errors come back prefixed with "account.", "contact." or "opportunity.".
/// </summary>
// Wide on purpose: conversion is one transaction across leads, accounts, contacts and opportunities, and reuses
// each of their services so their rules apply unchanged.
[Scoped]
public sealed class LeadConversion(
    SwitchboardDbContext db, TenantContext ctx, TimeProvider clock, AccountService accounts, ContactService contacts,
    OpportunityService opportunities, ModuleSettings modules, AuditLog audit)
{
    /// <summary>Whether a conversion may open an opportunity: not while the tenant has the opportunities module switched off.</summary>
    public Task<bool> CanCreateOpportunityAsync(CancellationToken ct) => modules.IsEnabledAsync(ModuleNames.Opportunities, ct);

    /// <summary>The visible account whose domain is the lead's email domain (the oldest, if several).</summary>
    public async Task<AccountMatch?> MatchAccountAsync(string? email, CancellationToken ct)
    {
        if (email is null || !email.Contains('@') || Domains.Normalize(email) is not { } domain) return null;
        return await accounts.Visible().AsNoTracking()
            .Where(a => a.Domain == domain)
            .OrderBy(a => a.CreatedAt).ThenBy(a => a.Id)
            .Select(a => new AccountMatch(a.Id, a.Name))
            .FirstOrDefaultAsync(ct);
    }

    public async Task<Outcome<LeadConversionDto>> ConvertAsync(Guid leadId, LeadConversionWrite body, CancellationToken ct)
    {
        var lead = await VisibleLeads().SingleOrDefaultAsync(l => l.Id == leadId, ct);
        if (lead is null) return new Outcome<LeadConversionDto>.NotFound();
        if (!RecordPermissions.CanEdit(ctx, lead.OwnerId)) return new Outcome<LeadConversionDto>.Forbidden("Your role cannot convert this lead.");
        if (lead.ConvertedAt is not null || lead.Status == LeadStatus.Converted)
            return new Outcome<LeadConversionDto>.Conflict("The lead has already been converted.");

        var errors = body.BindingErrors();
        if (errors.IsValid && body.Opportunity.Value is not null && !await CanCreateOpportunityAsync(ct))
            errors.Add("opportunity", "Opportunities are switched off for this tenant; convert without an opportunity.");
        if (!errors.IsValid) return new Outcome<LeadConversionDto>.Invalid(errors.ToDictionary());

        await using var tx = await db.BeginUnitOfWorkAsync(ct);
        var outcome = await ConvertInTransactionAsync(lead, body, ct);
        if (outcome is Outcome<LeadConversionDto>.Ok) await tx.CommitAsync(ct);
        // The rolled-back rows stay tracked otherwise, and a later save in this scope would think them written.
        else db.ChangeTracker.Clear();
        return outcome;
    }

    private async Task<Outcome<LeadConversionDto>> ConvertInTransactionAsync(Lead lead, LeadConversionWrite body, CancellationToken ct)
    {
        var account = await AccountAsync(lead, body.Account.Value, ct);
        if (account.Failure is { } accountFailure) return accountFailure;

        var contactBody = body.Contact.Value ?? new ContactWrite();
        contactBody = contactBody with
        {
            FirstName = Default(contactBody.FirstName, lead.FirstName),
            LastName = Default(contactBody.LastName, lead.LastName),
            Title = Default(contactBody.Title, lead.Title),
            Emails = Default<IReadOnlyList<string>?>(contactBody.Emails, lead.Email is null ? [] : [lead.Email]),
            Phones = Default<IReadOnlyList<string>?>(contactBody.Phones, lead.Phone is null ? [] : [lead.Phone]),
            OwnerId = lead.OwnerId is { } contactOwner ? Default<Guid?>(contactBody.OwnerId, contactOwner) : contactBody.OwnerId,
            AccountId = Optional.Of<Guid?>(account.Id),
        };
        var contact = await contacts.CreateAsync(contactBody, ct);
        if (contact is not Outcome<ContactDto>.Ok createdContact) return Prefixed(contact, "contact");

        Guid? opportunityId = null;
        if (body.Opportunity.Value is { } opportunityBody)
        {
            opportunityBody = opportunityBody with
            {
                OwnerId = lead.OwnerId is { } opportunityOwner ? Default<Guid?>(opportunityBody.OwnerId, opportunityOwner) : opportunityBody.OwnerId,
                AccountId = Optional.Of<Guid?>(account.Id),
                ContactId = Optional.Of<Guid?>(createdContact.Value.Id),
            };
            var opportunity = await opportunities.CreateAsync(opportunityBody, ct);
            if (opportunity is not Outcome<OpportunityDto>.Ok createdOpportunity) return Prefixed(opportunity, "opportunity");
            opportunityId = createdOpportunity.Value.Id;
        }

        var now = clock.GetUtcNow();
        lead.Status = LeadStatus.Converted;
        lead.ConvertedAt = now;
        lead.ConvertedAccountId = account.Id;
        lead.ConvertedContactId = createdContact.Value.Id;
        lead.ConvertedOpportunityId = opportunityId;
        audit.Add(AuditActions.LeadConverted, ctx.TenantId, "lead", lead.Id.ToString(),
            new { accountId = account.Id, accountCreated = account.Created, contactId = createdContact.Value.Id, opportunityId });
        if (!await db.TrySaveAsync(ct)) return RecordSave.Conflict<LeadConversionDto>("lead");
        return new LeadConversionDto(LeadService.ToDto(lead), account.Id, account.Created, createdContact.Value.Id, opportunityId);
    }

    private sealed record AccountStep(Guid Id, bool Created, Outcome<LeadConversionDto>? Failure);

    /// <summary>account.id links an existing account; an account object without id creates one; no account means the domain match, else a new one.</summary>
    private async Task<AccountStep> AccountAsync(Lead lead, ConversionAccountWrite? body, CancellationToken ct)
    {
        if (body is { Id.IsSet: true })
        {
            if (body with { Id = default } != new ConversionAccountWrite())
                return Failed("account.id", "Send either account.id to link an existing account or the fields of a new one, not both.");
            if (body.Id.Value is not { } id) return Failed("account.id", "account.id must be a UUID.");
            return await accounts.FindAsync(id, ct) is null
                ? Failed("account.id", "No account with this id exists, or you cannot see it.")
                : new AccountStep(id, false, null);
        }
        if (body is null && await MatchAccountAsync(lead.Email, ct) is { } match)
            return new AccountStep(match.Id, false, null);

        var accountBody = body ?? new ConversionAccountWrite();
        accountBody = accountBody with
        {
            Name = Default(accountBody.Name, string.IsNullOrWhiteSpace(lead.Company) ? $"{lead.FirstName} {lead.LastName}".Trim() : lead.Company),
            OwnerId = lead.OwnerId is { } owner ? Default<Guid?>(accountBody.OwnerId, owner) : accountBody.OwnerId,
        };
        var created = await accounts.CreateAsync(accountBody, ct);
        return created is Outcome<AccountDto>.Ok ok
            ? new AccountStep(ok.Value.Id, true, null)
            : new AccountStep(Guid.Empty, false, Prefixed(created, "account"));
    }

    private static AccountStep Failed(string field, string message) =>
        new(Guid.Empty, false, new Outcome<LeadConversionDto>.Invalid(new Dictionary<string, string[]> { [field] = [message] }));

    /// <summary>What the caller sent for a member, else the lead's value (the caller may override with null).</summary>
    private static Optional<T> Default<T>(Optional<T> sent, T fromLead) => sent.Sent ? sent : Optional.Of(fromLead);

    private static Outcome<LeadConversionDto> Prefixed<T>(Outcome<T> failure, string part) => failure switch
    {
        Outcome<T>.Invalid invalid => new Outcome<LeadConversionDto>.Invalid(invalid.Errors.ToDictionary(e => $"{part}.{e.Key}", e => e.Value)),
        Outcome<T>.Forbidden forbidden => new Outcome<LeadConversionDto>.Forbidden(forbidden.Message),
        Outcome<T>.Conflict conflict => new Outcome<LeadConversionDto>.Conflict(conflict.Message),
        _ => new Outcome<LeadConversionDto>.NotFound(),
    };

    private IQueryable<Lead> VisibleLeads() => db.Leads.VisibleTo(ctx);
}
