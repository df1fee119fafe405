using Switchboard.Features.Accounts;
using Switchboard.Features.Contacts;
using Switchboard.Features.CustomFields;
using Switchboard.Features.Dialer;
using Switchboard.Features.Leads;
using Switchboard.Features.Lists;
using Switchboard.Features.Opportunities;

namespace Switchboard.Features.Bulk;

/// <summary>Leads: every action. The filter takes search, status, ownerId, custom.&lt;key&gt; and filter.&lt;field&gt;, as GET /api/v1/leads.</summary>
[Scoped]
public sealed class LeadBulkTarget(LeadService leads, DialerQueueMembers queues) : BulkTarget<LeadDto, LeadWrite>(leads)
{
    public override string Entity => CustomFieldEntities.Lead;
    public override string Path => "leads";
    public override string Plural => "leads";
    public override IReadOnlyList<string> Actions => BulkActions.All;
    public override IReadOnlyList<string> Statuses => LeadStatuses.All.Where(s => s != "converted").ToList();

    public override async Task<IQueryable<Guid>?> SelectAsync(BulkFilter filter, ValidationErrors errors, CancellationToken ct)
    {
        var query = new LeadQuery(filter.Text("search"), filter.Text("status"), filter.Id("ownerId", errors), null, null, null);
        filter.MarkPrefixed(CustomFieldQueries.Prefix);
        var criteria = filter.Criteria();
        filter.Unread(Plural, errors);
        if (!errors.IsValid) return null;
        var rows = await BulkTargets.Checked(own => leads.SelectAsync(query, CustomFieldQueries.FromQuery(filter.Query), criteria, own, ct), errors);
        return rows?.Ordered.Select(l => l.Id);
    }

    protected override LeadWrite StatusPatch(string status) => new() { Status = Optional.Of<string?>(status) };

    protected override IEnumerable<string?> Phones(LeadDto record) => [record.Phone];

    public override Task<Outcome<bool>> AddToQueueAsync(Guid queueId, Guid id, CancellationToken ct) => queues.AddLeadAsync(queueId, id, ct);
}

/// <summary>Contacts: assign, add to a dialer queue, their numbers to DNC, delete. The filter takes q, ownerId, accountId and filter.&lt;field&gt;.</summary>
[Scoped]
public sealed class ContactBulkTarget(ContactService contacts, DialerQueueMembers queues) : BulkTarget<ContactDto, ContactWrite>(contacts)
{
    public override string Entity => CustomFieldEntities.Contact;
    public override string Path => "contacts";
    public override string Plural => "contacts";
    public override IReadOnlyList<string> Actions => [BulkActions.Assign, BulkActions.AddToQueue, BulkActions.Dnc, BulkActions.Delete];

    public override async Task<IQueryable<Guid>?> SelectAsync(BulkFilter filter, ValidationErrors errors, CancellationToken ct)
    {
        var query = new ContactQuery(filter.Text("q"), filter.Id("ownerId", errors), filter.Id("accountId", errors), null, null, null);
        var criteria = filter.Criteria();
        filter.Unread(Plural, errors);
        if (!errors.IsValid) return null;
        var rows = await BulkTargets.Checked(own => contacts.SelectAsync(query, criteria, own, ct), errors);
        return rows?.Ordered.Select(c => c.Id);
    }

    protected override IEnumerable<string?> Phones(ContactDto record) => record.Phones;

    public override Task<Outcome<bool>> AddToQueueAsync(Guid queueId, Guid id, CancellationToken ct) => queues.AddContactAsync(queueId, id, ct);
}

/// <summary>Accounts: assign, the main number to DNC, delete. The filter takes q, ownerId and filter.&lt;field&gt;.</summary>
[Scoped]
public sealed class AccountBulkTarget(AccountService accounts) : BulkTarget<AccountDto, AccountWrite>(accounts)
{
    public override string Entity => CustomFieldEntities.Account;
    public override string Path => "accounts";
    public override string Plural => "accounts";
    public override IReadOnlyList<string> Actions => [BulkActions.Assign, BulkActions.Dnc, BulkActions.Delete];

    public override async Task<IQueryable<Guid>?> SelectAsync(BulkFilter filter, ValidationErrors errors, CancellationToken ct)
    {
        var query = new AccountQuery(filter.Text("q"), filter.Id("ownerId", errors), null, null, null);
        var criteria = filter.Criteria();
        filter.Unread(Plural, errors);
        if (!errors.IsValid) return null;
        var rows = await BulkTargets.Checked(own => accounts.SelectAsync(query, criteria, own, ct), errors);
        return rows?.Ordered.Select(a => a.Id);
    }

    protected override IEnumerable<string?> Phones(AccountDto record) => [record.Phone];
}

/// <summary>
/// Opportunities: assign and delete. Their status follows the pipeline stage (a move on the board, with a lost
/// reason), so it is not a bulk action. The filter takes q, pipelineId, stageId, ownerId, accountId, status and filter.&lt;field&gt;.
/// </summary>
[Scoped]
public sealed class OpportunityBulkTarget(OpportunityService opportunities) : BulkTarget<OpportunityDto, OpportunityWrite>(opportunities)
{
    public override string Entity => CustomFieldEntities.Opportunity;
    public override string Path => "opportunities";
    public override string Plural => "opportunities";
    public override IReadOnlyList<string> Actions => [BulkActions.Assign, BulkActions.Delete];

    public override async Task<IQueryable<Guid>?> SelectAsync(BulkFilter filter, ValidationErrors errors, CancellationToken ct)
    {
        var query = new OpportunityQuery(filter.Text("q"), filter.Id("pipelineId", errors), filter.Id("stageId", errors), filter.Id("ownerId", errors),
            filter.Id("accountId", errors), filter.Text("status"), null, null, null);
        var criteria = filter.Criteria();
        filter.Unread(Plural, errors);
        if (!errors.IsValid) return null;
        var rows = await BulkTargets.Checked(own => opportunities.SelectAsync(query, criteria, own, ct), errors);
        return rows?.Ordered.Select(o => o.Id);
    }

    protected override IEnumerable<string?> Phones(OpportunityDto record) => [];
}

/// <summary>The one registration of the lists that take bulk actions, by entity and by path.</summary>
[Scoped]
public sealed class BulkTargets(LeadBulkTarget leads, ContactBulkTarget contacts, AccountBulkTarget accounts, OpportunityBulkTarget opportunities)
{
    public IReadOnlyList<IBulkTarget> All { get; } = [leads, contacts, accounts, opportunities];

    public IBulkTarget? ForEntity(string entity) => All.FirstOrDefault(t => t.Entity == entity);

    public IBulkTarget? ForPath(string path) => All.FirstOrDefault(t => t.Path == path);

    /// <summary>Runs a list's selection and files its errors under filter.&lt;parameter&gt;, as the bulk request names them.</summary>
    internal static async Task<T?> Checked<T>(Func<ValidationErrors, Task<T?>> select, ValidationErrors errors) where T : class
    {
        var own = new ValidationErrors();
        var rows = await select(own);
        foreach (var (key, messages) in own.ToDictionary())
            foreach (var message in messages)
                errors.Add(key.StartsWith(ListFilter.QueryPrefix, StringComparison.Ordinal) ? key : "filter." + key, message);
        return own.IsValid ? rows : null;
    }
}
