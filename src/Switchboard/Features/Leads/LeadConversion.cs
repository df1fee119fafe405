using System.Text.Json.Nodes;
using Switchboard.Features.Accounts;
using Switchboard.Features.Contacts;
using Switchboard.Features.Modules;
using Switchboard.Features.Opportunities;

namespace Switchboard.Features.Leads;

/// <summary>The outcome of POST /api/v1/leads/{id}/convert: the converted lead and the records it became.</summary>
public sealed record LeadConversionDto(LeadDto Lead, Guid AccountId, bool AccountCreated, Guid ContactId, Guid? OpportunityId);

/// <summary>The body of POST /api/v1/leads/{id}/convert (documented shape). Every part is optional.</summary>
public sealed record LeadConversionWrite(JsonElement? Account, JsonElement? Contact, JsonElement? Opportunity);

/// <summary>An existing account the lead would be linked to by default (its email domain matches).</summary>
public sealed record AccountMatch(Guid Id, string Name);

/// <summary>
/// Converts a lead into an account, a contact at it and optionally an opportunity, in one transaction. The new
/// records go through the account, contact and opportunity services, so their validation, custom fields and
/// role rules apply unchanged; their errors come back prefixed with "account.", "contact." or "opportunity.".
/// </summary>
// Wide on purpose: conversion is one transaction across leads, accounts, contacts and opportunities, and reuses
// each of their services so their rules apply unchanged.
public sealed class LeadConversion(
    SwitchboardDbContext db, TenantContext ctx, TimeProvider clock, AccountService accounts, ContactService contacts,
    OpportunityService opportunities, ModuleSettings modules, AuditLog audit)
{
    /// <summary>Whether a conversion may open an opportunity: not while the tenant has the opportunities module switched off.</summary>
    public Task<bool> CanCreateOpportunityAsync(CancellationToken ct) => modules.IsEnabledAsync(ModuleNames.Opportunities, ct);

    private static readonly string[] Parts = ["account", "contact", "opportunity"];

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

    public async Task<Outcome<LeadConversionDto>> ConvertAsync(Guid leadId, JsonElement body, CancellationToken ct)
    {
        var lead = await VisibleLeads().SingleOrDefaultAsync(l => l.Id == leadId, ct);
        if (lead is null) return new Outcome<LeadConversionDto>.NotFound();
        if (!RecordPermissions.CanEdit(ctx, lead.OwnerId)) return new Outcome<LeadConversionDto>.Forbidden("Your role cannot convert this lead.");
        if (lead.ConvertedAt is not null || lead.Status == LeadStatus.Converted)
            return new Outcome<LeadConversionDto>.Conflict("The lead has already been converted.");

        var errors = new ValidationErrors();
        var parts = ReadParts(body, errors);
        if (errors.IsValid && parts["opportunity"] is not null && !await CanCreateOpportunityAsync(ct))
            errors.Add("opportunity", "Opportunities are switched off for this tenant; convert without an opportunity.");
        if (!errors.IsValid) return new Outcome<LeadConversionDto>.Invalid(errors.ToDictionary());

        await using var tx = await db.BeginUnitOfWorkAsync(ct);
        var outcome = await ConvertInTransactionAsync(lead, parts, ct);
        if (outcome is Outcome<LeadConversionDto>.Ok) await tx.CommitAsync(ct);
        // The rolled-back rows stay tracked otherwise, and a later save in this scope would think them written.
        else db.ChangeTracker.Clear();
        return outcome;
    }

    private async Task<Outcome<LeadConversionDto>> ConvertInTransactionAsync(Lead lead, Dictionary<string, JsonObject?> parts, CancellationToken ct)
    {
        var account = await AccountAsync(lead, parts["account"], ct);
        if (account.Failure is { } accountFailure) return accountFailure;

        var contactBody = parts["contact"] ?? [];
        Default(contactBody, "firstName", lead.FirstName);
        Default(contactBody, "lastName", lead.LastName);
        Default(contactBody, "title", lead.Title);
        if (!contactBody.ContainsKey("emails")) contactBody["emails"] = lead.Email is null ? new JsonArray() : new JsonArray(lead.Email);
        if (!contactBody.ContainsKey("phones")) contactBody["phones"] = lead.Phone is null ? new JsonArray() : new JsonArray(lead.Phone);
        if (lead.OwnerId is { } contactOwner) Default(contactBody, "ownerId", contactOwner.ToString());
        contactBody["accountId"] = account.Id.ToString();
        var contact = await contacts.CreateAsync(ToElement(contactBody), ct);
        if (contact is not Outcome<ContactDto>.Ok createdContact) return Prefixed(contact, "contact");

        Guid? opportunityId = null;
        if (parts["opportunity"] is { } opportunityBody)
        {
            if (lead.OwnerId is { } opportunityOwner) Default(opportunityBody, "ownerId", opportunityOwner.ToString());
            opportunityBody["accountId"] = account.Id.ToString();
            opportunityBody["contactId"] = createdContact.Value.Id.ToString();
            var opportunity = await opportunities.CreateAsync(ToElement(opportunityBody), ct);
            if (opportunity is not Outcome<OpportunityDto>.Ok createdOpportunity) return Prefixed(opportunity, "opportunity");
            opportunityId = createdOpportunity.Value.Id;
        }

        var now = clock.GetUtcNow();
        lead.Status = LeadStatus.Converted;
        lead.ConvertedAt = now;
        lead.ConvertedAccountId = account.Id;
        lead.ConvertedContactId = createdContact.Value.Id;
        lead.ConvertedOpportunityId = opportunityId;
        audit.Add("lead.converted", ctx.TenantId, "lead", lead.Id.ToString(),
            new { accountId = account.Id, accountCreated = account.Created, contactId = createdContact.Value.Id, opportunityId });
        if (!await db.TrySaveAsync(ct)) return RecordSave.Conflict<LeadConversionDto>("lead");
        return new LeadConversionDto(LeadService.ToDto(lead), account.Id, account.Created, createdContact.Value.Id, opportunityId);
    }

    private sealed record AccountStep(Guid Id, bool Created, Outcome<LeadConversionDto>? Failure);

    /// <summary>account.id links an existing account; an account object without id creates one; no account means the domain match, else a new one.</summary>
    private async Task<AccountStep> AccountAsync(Lead lead, JsonObject? body, CancellationToken ct)
    {
        if (body is not null && body.TryGetPropertyValue("id", out var idNode))
        {
            if (body.Count > 1)
                return Failed("account.id", "Send either account.id to link an existing account or the fields of a new one, not both.");
            if (idNode is not JsonValue value || !value.TryGetValue<string>(out var text) || !Guid.TryParse(text, out var id))
                return Failed("account.id", "account.id must be a UUID.");
            return await accounts.FindAsync(id, ct) is null
                ? Failed("account.id", "No account with this id exists, or you cannot see it.")
                : new AccountStep(id, false, null);
        }
        if (body is null && await MatchAccountAsync(lead.Email, ct) is { } match)
            return new AccountStep(match.Id, false, null);

        var accountBody = body ?? [];
        Default(accountBody, "name", string.IsNullOrWhiteSpace(lead.Company) ? $"{lead.FirstName} {lead.LastName}".Trim() : lead.Company);
        if (lead.OwnerId is { } owner) Default(accountBody, "ownerId", owner.ToString());
        var created = await accounts.CreateAsync(ToElement(accountBody), ct);
        return created is Outcome<AccountDto>.Ok ok
            ? new AccountStep(ok.Value.Id, true, null)
            : new AccountStep(Guid.Empty, false, Prefixed(created, "account"));
    }

    private static AccountStep Failed(string field, string message) =>
        new(Guid.Empty, false, new Outcome<LeadConversionDto>.Invalid(new Dictionary<string, string[]> { [field] = [message] }));

    private static Dictionary<string, JsonObject?> ReadParts(JsonElement body, ValidationErrors errors)
    {
        var parts = Parts.ToDictionary(p => p, _ => (JsonObject?)null);
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors.Add("body", "The body must be a JSON object (send {} to convert with the defaults).");
            return parts;
        }
        foreach (var property in body.EnumerateObject())
        {
            if (!Parts.Contains(property.Name)) errors.Add(property.Name, $"'{property.Name}' is not a field here. Use account, contact or opportunity.");
            else if (property.Value.ValueKind == JsonValueKind.Object) parts[property.Name] = JsonObject.Create(property.Value.Clone());
            else if (property.Value.ValueKind != JsonValueKind.Null) errors.Add(property.Name, $"'{property.Name}' must be an object or null.");
        }
        return parts;
    }

    /// <summary>Lets the caller override any default, including with null.</summary>
    private static void Default(JsonObject body, string name, string? value)
    {
        if (!body.ContainsKey(name)) body[name] = value;
    }

    private static JsonElement ToElement(JsonObject body) => JsonSerializer.SerializeToElement(body);

    private static Outcome<LeadConversionDto> Prefixed<T>(Outcome<T> failure, string part) => failure switch
    {
        Outcome<T>.Invalid invalid => new Outcome<LeadConversionDto>.Invalid(invalid.Errors.ToDictionary(e => $"{part}.{e.Key}", e => e.Value)),
        Outcome<T>.Forbidden forbidden => new Outcome<LeadConversionDto>.Forbidden(forbidden.Message),
        Outcome<T>.Conflict conflict => new Outcome<LeadConversionDto>.Conflict(conflict.Message),
        _ => new Outcome<LeadConversionDto>.NotFound(),
    };

    private IQueryable<Lead> VisibleLeads() => db.Leads.VisibleTo(ctx);
}
