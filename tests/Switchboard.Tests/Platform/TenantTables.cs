using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Switchboard.Testing;
using Switchboard.Tests.Features.Calls;

namespace Switchboard.Tests.Platform;

/// <summary>A table in schema public with a tenant_id column, as the catalog describes it.</summary>
public sealed record TenantTable(string Name, bool RowSecurity, bool ForceRowSecurity, bool TenantIdNullable, IReadOnlyList<string> InsertableColumns)
{
    public string QuotedName => $"\"{Name}\"";
    public string ColumnList => string.Join(", ", InsertableColumns.Select(c => $"\"{c}\""));
}

public static class TenantTables
{
    /// <summary>
    /// Tables that carry a tenant id but belong to no single tenant, so have no row-level security. Each is a
    /// deliberate decision; a new one needs a reason here and a review of who may read it.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> PlatformTables = new Dictionary<string, string>
    {
        ["user_sessions"] = "looked up by id before a tenant is known (sign-in, token refresh); tenant_id is null for a superadmin outside any tenant",
        ["mfa_challenges"] = "a sign-in's second step, looked up by its token before any session or tenant is known (like user_sessions); tenant_id is the tenant the first step chose",
        ["jobs"] = "claimed across tenants by workers, which then enter the job's tenant to do the work under these same policies",
        ["webhook_queue"] = "the webhook dispatchers' work queue (ids and times only), claimed across tenants; the claimer enters the subscription's tenant to do the work under these same policies",
    };

    /// <summary>Every table in schema public with a tenant_id column, so tables added by later migrations are covered.</summary>
    public static async Task<IReadOnlyList<TenantTable>> ListAsync(NpgsqlConnection conn)
    {
        await using var cmd = new NpgsqlCommand("""
            select c.relname, c.relrowsecurity, c.relforcerowsecurity, not t.attnotnull,
                   array(select a.attname::text from pg_attribute a
                         where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
                           and a.attgenerated = '' and a.attidentity <> 'a'
                         order by a.attnum)
            from pg_class c
            join pg_namespace n on n.oid = c.relnamespace
            join pg_attribute t on t.attrelid = c.oid and t.attname = 'tenant_id' and not t.attisdropped
            where n.nspname = 'public' and c.relkind in ('r', 'p')
            order by c.relname
            """, conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        var tables = new List<TenantTable>();
        while (await reader.ReadAsync())
            tables.Add(new TenantTable(reader.GetString(0), reader.GetBoolean(1), reader.GetBoolean(2), reader.GetBoolean(3), reader.GetFieldValue<string[]>(4)));
        return tables;
    }

    public static async Task<IReadOnlyList<TenantTable>> ListTenantOwnedAsync(NpgsqlConnection conn) =>
        (await ListAsync(conn)).Where(t => !PlatformTables.ContainsKey(t.Name)).ToList();
}

/// <summary>
/// The real app with two tenants, A and B, each driven through the product until it has rows in every
/// tenant-owned table: members, leads, an API key, LDAP settings, do-not-call numbers, dispositions, calling settings, an active
/// simulator, presence, a dialer queue and a session that skipped a lead, a bulk action that added the lead to the queue, a contact
/// added to the queue (bulk) that the session then served and skipped, and a simulated call with its provider events (and the audit rows
/// all of that writes). A table that the product gains later needs a step here; the RLS tests fail, naming
/// it, until it has rows for both tenants.
/// </summary>
public sealed class TwoTenantsHost : SwitchboardHost
{
    public TestTenant A { get; private set; } = null!;
    public TestTenant B { get; private set; } = null!;

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["Jobs:PollSeconds"] = "0.2", ["Sequences:PollSeconds"] = "0.5" };

    private TestImapServer _imap = null!;
    private readonly List<TestSmtpServer> _smtp = [];

    public override async Task InitializeAsync()
    {
        _imap = await TestImapServer.StartAsync();
        await base.InitializeAsync();
        A = await CreateTenantAsync("rls-a");
        B = await CreateTenantAsync("rls-b");
        await Task.WhenAll(FillAsync(A), FillAsync(B));
        await FillPlatformMailAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var smtp in _smtp) await smtp.DisposeAsync();
        await _imap.DisposeAsync();
    }

    /// <summary>A platform message (tenant_id null) in outbound_emails: a password reset, asked for before anyone signs in.</summary>
    private async Task FillPlatformMailAsync()
    {
        using var anonymous = CreateClient();
        (await anonymous.PostAsJsonAsync("/api/v1/auth/forgot-password", new { email = A.Email("agent") })).EnsureSuccessStatusCode();
        await using var owner = new NpgsqlConnection(Database.OwnerConnectionString);
        await owner.OpenAsync();
        // Row-level security holds for the owner too: read on the platform path.
        await using (var platform = new NpgsqlCommand("select set_config('app.platform', 'on', false)", owner)) await platform.ExecuteNonQueryAsync();
        await Eventually.Until(async () =>
        {
            await using var count = new NpgsqlCommand("select count(*) from outbound_emails where tenant_id is null", owner);
            return (long)(await count.ExecuteScalarAsync())!;
        }, n => n > 0, Eventually.DefaultTimeout, "the reset email to be queued");
    }

    private async Task FillAsync(TestTenant tenant)
    {
        using var admin = await LoginAsync(tenant.Email("admin"));
        using var manager = await LoginAsync(tenant.Email("manager"));
        using var agent = await LoginAsync(tenant.Email("agent"));
        (await admin.PutAsJsonAsync("/api/v1/telephony/providers/simulator", new
        {
            active = true, callerId = "(212) 555-0100", answerRate = 1, ringSeconds = 0.5, talkSeconds = 1, transcripts = false,
        })).EnsureSuccessStatusCode();
        (await admin.PatchAsJsonAsync("/api/v1/calling/settings", new { callingHours = CallingHost.AllDay() })).EnsureSuccessStatusCode();
        // LDAP sign-in settings, saved but off (no directory here).
        (await admin.PutAsJsonAsync("/api/v1/tenants/current/ldap", new
        {
            host = "127.0.0.1", security = "ldaps", searchBase = "dc=example,dc=test", searchFilter = "(mail={email})", bindDn = "cn=service,dc=example,dc=test", bindPassword = "Service-1",
        })).EnsureSuccessStatusCode();
        (await manager.PostAsJsonAsync("/api/v1/dnc", new { phone = "(212) 555-0199", reason = "asked" })).EnsureSuccessStatusCode();
        (await agent.GetAsync("/api/v1/dispositions")).EnsureSuccessStatusCode();
        (await agent.PutAsJsonAsync("/api/v1/presence/me", new { state = "available" })).EnsureSuccessStatusCode();
        var lead = await manager.PostAsJsonAsync("/api/v1/leads", new { lastName = "Prospect", phone = "(212) 555-0190", ownerId = tenant.Users["agent"] });
        lead.EnsureSuccessStatusCode();
        var leadId = (await lead.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var queue = await agent.PostAsJsonAsync("/api/v1/dialer/queues", new { name = "New leads", statuses = new[] { "new" }, neverCalled = true });
        queue.EnsureSuccessStatusCode();
        var queueId = (await queue.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await FillDialerSessionAsync(agent, queueId, leadId);
        await FillBulkAsync(agent, queueId, leadId);
        await FillDialerContactAsync(agent, queueId);
        await FillCrmAsync(tenant, admin, agent, leadId);

        var call = await agent.PostAsJsonAsync("/api/v1/calls", new { leadId });
        call.EnsureSuccessStatusCode();
        var callId = (await call.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var done = await CallingHost.WaitForCallAsync(agent, callId, c => c.GetProperty("status").GetString() == "completed");
        if (done.GetProperty("status").GetString() != "completed")
            throw new InvalidOperationException($"The simulated call of tenant {tenant.Slug} did not complete: {done}");
        // Its transcript, analysed (call_analyses), under the tenant's AI policy (ai_settings). The tenant's own model,
        // with its budget spent, leaves a "budget" row in the ledger (ai_usage) without a request.
        (await admin.PatchAsJsonAsync("/api/v1/ai/settings", new
        {
            autoCreateMinPriority = "high", llmEndpoint = "http://127.0.0.1:9/v1", llmModel = $"model-{tenant.Slug}", llmApiKey = $"key-{tenant.Slug}", monthlyTokenBudget = 0,
        })).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync("/api/v1/ai/voice-agents/callfluent", new { signingSecret = $"rls-secret-{tenant.Slug}" })).EnsureSuccessStatusCode();
        // An outbound webhook (webhook_subscriptions) to a closed local port: the lead changes above and below are events
        // (webhook_events), and the dispatcher's failed attempt and pending retry are delivery rows (webhook_deliveries).
        var hook = await admin.PostAsJsonAsync("/api/v1/webhooks", new { url = "http://127.0.0.1:9/rls", events = new[] { "*" } });
        hook.EnsureSuccessStatusCode();
        var hookId = (await hook.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        (await admin.PostAsJsonAsync("/api/v1/leads", new { lastName = $"Hooked {tenant.Slug}" })).EnsureSuccessStatusCode();
        await Eventually.Until(async () => (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/webhooks/{hookId}/deliveries")).GetProperty("items").GetArrayLength(),
            n => n >= 1, TimeSpan.FromSeconds(30), $"a webhook delivery row of tenant {tenant.Slug}");
        (await agent.PutAsJsonAsync($"/api/v1/calls/{callId}/transcript", new { text = "Agent: I'll send you the pricing sheet by Friday." })).EnsureSuccessStatusCode();
        await Eventually.Until(async () => await agent.GetFromJsonAsync<JsonElement>($"/api/v1/calls/{callId}/analysis"),
            a => a.GetProperty("status").GetString() == "completed", TimeSpan.FromSeconds(30), $"the analysis of tenant {tenant.Slug}'s call");
        // Its support settings (support_settings).
        (await admin.PutAsJsonAsync("/api/v1/support/settings", new
        {
            categories = new[] { new { name = "general", keywords = new[] { tenant.Slug } } },
            slaTargets = new
            {
                urgent = new { firstResponseHours = 1, resolutionHours = 8 }, high = new { firstResponseHours = 4, resolutionHours = 24 },
                normal = new { firstResponseHours = 8, resolutionHours = 72 }, low = new { firstResponseHours = 24, resolutionHours = 120 },
            },
            replyTemplates = new Dictionary<string, string>(),
        })).EnsureSuccessStatusCode();
        // Its data retention (retention_settings).
        (await admin.PutAsJsonAsync("/api/v1/settings/retention", new { recordingsDays = 90, closedTicketsDays = 365 })).EnsureSuccessStatusCode();
        var mailbox = await FillMailboxesAsync(tenant, admin, manager);
        await FillOutreachAsync(tenant, admin, manager, mailbox);
        await FillCampaignAsync(tenant, manager, mailbox);
        await FillSequencesAsync(admin, manager, leadId);
    }

    /// <summary>
    /// Outreach through the mailbox (ADR 0059): its caps (outreach_mailbox_settings), a suppressed address (suppressions),
    /// and an email queued as a campaign would and sent by the sender worker (outreach_emails).
    /// </summary>
    private async Task FillOutreachAsync(TestTenant tenant, HttpClient admin, HttpClient manager, Guid mailbox)
    {
        (await admin.PutAsJsonAsync($"/api/v1/mailboxes/{mailbox}/outreach", new { perMinute = 20, perDay = 400 })).EnsureSuccessStatusCode();
        (await manager.PostAsJsonAsync("/api/v1/suppressions", new { address = $"gone@{tenant.Slug}.example" })).EnsureSuccessStatusCode();
        var scopes = Services.GetRequiredService<IServiceScopeFactory>();
        var id = await Switchboard.Features.Outreach.OutreachScope.RunAsync(scopes, tenant.Id, async services =>
        {
            var campaign = Guid.NewGuid();
            var email = await services.GetRequiredService<Switchboard.Features.Outreach.OutboundEmails>().EnqueueAsync(new Switchboard.Features.Outreach.OutboundEmailRequest(
                $"campaign:{campaign}:1", "campaign", campaign, mailbox, $"lena@{tenant.Slug}.example", "Lena", null, null, null, "Hello", "Hello", null,
                DateTimeOffset.UtcNow), CancellationToken.None);
            await services.GetRequiredService<Switchboard.Platform.Database.SwitchboardDbContext>().SaveChangesAsync();
            return email.Id;
        }, CancellationToken.None);
        await Eventually.Until(() => Switchboard.Features.Outreach.OutreachScope.RunAsync(scopes, tenant.Id, services =>
                services.GetRequiredService<Switchboard.Platform.Database.SwitchboardDbContext>().Set<Switchboard.Features.Outreach.OutboundEmail>()
                    .Where(o => o.Id == id).Select(o => o.Status).SingleAsync(), CancellationToken.None),
            status => status == "sent", TimeSpan.FromSeconds(30), $"the outreach email of tenant {tenant.Slug} to be sent by the worker");
    }

    /// <summary>
    /// A holiday (tenant_holidays), a sequence (sequences) with the lead enrolled (sequence_enrolments), whose first step
    /// (a wait) the scheduler runs (sequence_step_runs).
    /// </summary>
    private static async Task FillSequencesAsync(HttpClient admin, HttpClient manager, Guid leadId)
    {
        (await admin.PostAsJsonAsync("/api/v1/holidays", new { day = "2030-12-25", name = "Christmas" })).EnsureSuccessStatusCode();
        var sequence = await manager.PostAsJsonAsync("/api/v1/sequences", new
        {
            name = "Follow-up", steps = new object[] { new { type = "wait", days = 1 }, new { type = "task", title = "Check in" } },
        });
        sequence.EnsureSuccessStatusCode();
        var sequenceId = (await sequence.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        (await manager.PostAsJsonAsync($"/api/v1/sequences/{sequenceId}/enrolments", new { leadIds = new[] { leadId } })).EnsureSuccessStatusCode();
        await Eventually.Until(async () => (await manager.GetFromJsonAsync<JsonElement>($"/api/v1/sequences/{sequenceId}/enrolments")).GetProperty("items")[0].GetProperty("stepIndex").GetInt32(),
            step => step >= 1, TimeSpan.FromSeconds(30), "the sequence scheduler to run the wait step");
    }

    /// <summary>
    /// A shared inbox on a real dovecot with a member (mailboxes, mailbox_members), synced once with a message from a lead
    /// (mailbox_folders, email_messages, email_links), and an email template (email_templates).
    /// </summary>
    private async Task<Guid> FillMailboxesAsync(TestTenant tenant, HttpClient admin, HttpClient manager)
    {
        const string password = "Rls-mail-71";
        var address = $"inbox@{tenant.Slug}.test";
        var leadAddress = $"lena@{tenant.Slug}.example";
        await _imap.AddUserAsync(address, password);
        var smtp = await TestSmtpServer.StartAsync(new TestSmtpOptions(address, password));
        lock (_smtp) _smtp.Add(smtp);
        (await manager.PostAsJsonAsync("/api/v1/leads", new { lastName = "Mail", email = leadAddress })).EnsureSuccessStatusCode();
        var created = await admin.PostAsJsonAsync("/api/v1/mailboxes", new
        {
            kind = "shared", name = "Team inbox", address, imapHost = "127.0.0.1", imapPort = _imap.Port, imapSecurity = "none", imapUsername = address,
            smtpHost = "127.0.0.1", smtpPort = smtp.Port, smtpSecurity = "none", password, memberIds = new[] { tenant.Users["agent"] },
        });
        created.EnsureSuccessStatusCode();
        var mailbox = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        // A support inbox (support_inboxes) whose synced message becomes a ticket (tickets, ticket_messages, ticket_counters).
        (await admin.PutAsJsonAsync($"/api/v1/support/inboxes/{mailbox}", new { since = DateTimeOffset.UtcNow.AddDays(-1) })).EnsureSuccessStatusCode();
        // The lead's mail arrives once the mailbox is a support inbox: the watcher may sync it before the request below does.
        await _imap.AppendAsync(address, password, TestImapServer.Message(leadAddress, address, "Hello", "Hello from the lead"));
        (await admin.PostAsync($"/api/v1/mailboxes/{mailbox}/sync", null)).EnsureSuccessStatusCode();
        await Eventually.Until(async () => (await admin.GetFromJsonAsync<JsonElement>("/api/v1/tickets")).GetProperty("items").GetArrayLength(),
            n => n >= 1, TimeSpan.FromSeconds(30), $"a ticket of tenant {tenant.Slug}");
        (await manager.PostAsJsonAsync("/api/v1/email-templates", new { name = "Intro", subject = "Hi {{ recipient.first_name }}", text = "Hello" })).EnsureSuccessStatusCode();
        return mailbox;
    }

    /// <summary>An email campaign to one lead, started, until its recipient is queued (campaigns, campaign_recipients).</summary>
    private static async Task FillCampaignAsync(TestTenant tenant, HttpClient manager, Guid mailbox)
    {
        var lead = await manager.PostAsJsonAsync("/api/v1/leads", new { lastName = "Campaign", email = $"campaign@{tenant.Slug}.example" });
        lead.EnsureSuccessStatusCode();
        var leadId = (await lead.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var created = await manager.PostAsJsonAsync("/api/v1/campaigns", new
        {
            name = "Spring", kind = "email", audience = new { entity = "lead", ids = new[] { leadId } }, mailboxId = mailbox, subject = "Spring", textBody = "Hello",
        });
        created.EnsureSuccessStatusCode();
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        (await manager.PostAsync($"/api/v1/campaigns/{id}/start", null)).EnsureSuccessStatusCode();
        await Eventually.Until(() => manager.GetFromJsonAsync<JsonElement>($"/api/v1/campaigns/{id}/recipients"),
            r => r.GetProperty("items").EnumerateArray().Any(i => i.GetProperty("status").GetString() is "queued" or "sent"), "the campaign's recipient to be queued");
    }

    /// <summary>A dialer session on the queue that has skipped the lead (a handled-lead row).</summary>
    private static async Task FillDialerSessionAsync(HttpClient agent, Guid queueId, Guid leadId)
    {
        var opened = await agent.PostAsync($"/api/v1/dialer/queues/{queueId}/session", null);
        opened.EnsureSuccessStatusCode();
        var session = (await opened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        (await agent.PostAsync($"/api/v1/dialer/sessions/{session}/turn", null)).EnsureSuccessStatusCode();
        (await agent.PostAsJsonAsync($"/api/v1/dialer/sessions/{session}/skip", new { leadId })).EnsureSuccessStatusCode();
    }

    /// <summary>A finished bulk action (its operation row) that added the lead to the queue (a queue member row).</summary>
    private static Task FillBulkAsync(HttpClient agent, Guid queueId, Guid leadId) => BulkAsync(agent, "leads", leadId, queueId);

    /// <summary>Adds the record to the queue through its list's bulk action and waits until that has added it.</summary>
    private static async Task BulkAsync(HttpClient agent, string list, Guid recordId, Guid queueId)
    {
        var started = await agent.PostAsJsonAsync($"/api/v1/{list}/bulk", new { ids = new[] { recordId }, action = "add-to-queue", value = queueId });
        started.EnsureSuccessStatusCode();
        var id = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var done = await Eventually.Until(() => agent.GetFromJsonAsync<JsonElement>($"/api/v1/bulk/{id}"),
            op => op.GetProperty("status").GetString() is "completed" or "failed", TimeSpan.FromSeconds(60), "the bulk action to finish");
        if (done.GetProperty("succeeded").GetInt32() != 1) throw new InvalidOperationException($"The bulk add-to-queue did not add the {list} record: {done}");
    }

    /// <summary>A contact added to the queue by the contacts list's bulk action (a queue contact row), served and skipped (a handled-contact row).</summary>
    private static async Task FillDialerContactAsync(HttpClient agent, Guid queueId)
    {
        var created = await agent.PostAsJsonAsync("/api/v1/contacts", new { lastName = "Queued", phones = new[] { "(212) 555-0191" } });
        created.EnsureSuccessStatusCode();
        var contactId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await BulkAsync(agent, "contacts", contactId, queueId);
        var opened = await agent.PostAsync($"/api/v1/dialer/queues/{queueId}/session", null);
        opened.EnsureSuccessStatusCode();
        var session = (await opened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var turn = await (await agent.PostAsync($"/api/v1/dialer/sessions/{session}/turn", null)).Content.ReadFromJsonAsync<JsonElement>();
        if (turn.GetProperty("contactId").ValueKind != JsonValueKind.String) throw new InvalidOperationException($"The session did not serve the contact: {turn}");
        (await agent.PostAsJsonAsync($"/api/v1/dialer/sessions/{session}/skip", new { contactId })).EnsureSuccessStatusCode();
    }

    /// <summary>
    /// A row in each CRM table through the API, as an admin and an agent would write them.
    /// </summary>
    private async Task FillCrmAsync(TestTenant tenant, HttpClient admin, HttpClient agent, Guid leadId)
    {
        async Task<Guid> IdOf(Task<HttpResponseMessage> request)
        {
            var response = await request;
            response.EnsureSuccessStatusCode();
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        }
        (await admin.PostAsJsonAsync("/api/v1/custom-fields", new { entity = "lead", key = "budget", label = "Budget", type = "currency" })).EnsureSuccessStatusCode();
        // A module's row appears once an admin switches it (off, then back on here).
        (await admin.PatchAsJsonAsync("/api/v1/modules", new { products = false })).EnsureSuccessStatusCode();
        (await admin.PatchAsJsonAsync("/api/v1/modules", new { products = true })).EnsureSuccessStatusCode();
        var account = await IdOf(agent.PostAsJsonAsync("/api/v1/accounts", new { name = "Acme Corp", domain = "acme.example" }));
        var contact = await IdOf(agent.PostAsJsonAsync("/api/v1/contacts", new { lastName = "Buyer", emails = new[] { "ada@acme.example" }, accountId = account }));
        var product = await IdOf(admin.PostAsJsonAsync("/api/v1/products", new { name = "Seat", price = 50, currency = "USD" }));
        var opportunity = await IdOf(agent.PostAsJsonAsync("/api/v1/opportunities", new { name = "Acme renewal", accountId = account, contactId = contact }));
        (await agent.PutAsJsonAsync($"/api/v1/opportunities/{opportunity}/products", new { items = new[] { new { productId = product, quantity = 20 } } })).EnsureSuccessStatusCode();
        await IdOf(agent.PostAsJsonAsync("/api/v1/activities", new { type = "task", subject = "Call back", relatedType = "lead", relatedId = leadId }));
        await IdOf(agent.PostAsJsonAsync("/api/v1/notes", new { body = "Met at the *fair*", relatedType = "lead", relatedId = leadId }));
        // A finished import (its change log, error report and the value mapping it remembers) and a draft that still holds its file.
        var import = await IdOf(admin.PostAsync("/api/v1/imports", Features.Imports.ImportClient.Form(
            Features.Imports.ImportClient.Utf8($"email,lastName,status\nimported@{tenant.Slug}.example,Imported,Attempted to contact\nnot-an-email,Bad,\n"), "leads")));
        await Features.Imports.ImportClient.WaitAsync(admin, import);
        await IdOf(admin.PostAsync("/api/v1/imports", Features.Imports.ImportClient.Form(Features.Imports.ImportClient.Utf8("email\nx@example.com\n"), "leads", start: false)));

        await IdOf(agent.PostAsJsonAsync("/api/v1/views", new { entity = "lead", name = "Mine", definition = new { filters = Array.Empty<object>() } }));
        // Single sign-on (ADR 0047): the provider is never reached while saving.
        (await admin.PutAsJsonAsync("/api/v1/tenants/current/sso", new { issuer = "http://127.0.0.1:9/", clientId = "rls", allowedDomains = new[] { $"{tenant.Slug}.example" } })).EnsureSuccessStatusCode();
        // An invitation, and the email that carries it (outbound_emails).
        await IdOf(admin.PostAsJsonAsync("/api/v1/invitations", new { email = $"invited@{tenant.Slug}.example", role = "agent" }));
        // An API key, used once (its last use recorded).
        var created = await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "Sync", scopes = new[] { "leads:read" } });
        created.EnsureSuccessStatusCode();
        using var integration = CreateClient();
        integration.DefaultRequestHeaders.Add("X-Api-Key", (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString());
        (await integration.GetAsync("/api/v1/leads")).EnsureSuccessStatusCode();
    }
}
