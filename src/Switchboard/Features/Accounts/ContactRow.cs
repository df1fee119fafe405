using Switchboard.Features.Contacts;

namespace Switchboard.Features.Accounts;

/// <summary>One contact in a table: on the contact list and on its account's page.</summary>
public sealed record ContactRow(ContactDto Contact, string OwnerName, TenantSettings? Tenant);
