using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Bulk;

public sealed class BulkHost : SwitchboardHostWithTenant
{
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["Jobs:PollSeconds"] = "0.2" };
}

/// <summary>POST /api/v1/{list}/bulk and GET /api/v1/bulk/{id}: selections, each action, permission skips, tenants, validation, progress.</summary>
public sealed class BulkApiTests(BulkHost host) : IClassFixture<BulkHost>
{
    private TestTenant Tenant => host.Tenant;

    private async Task<Guid> LeadAsync(string lastName, string? ownerRole = null, string? phone = null, string? company = null, string? status = null)
    {
        var manager = await host.As("manager");
        var response = await manager.PostAsJsonAsync("/api/v1/leads", new
        {
            lastName, company, phone, status = status ?? "new", ownerId = ownerRole is null ? (Guid?)null : Tenant.Users[ownerRole],
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static async Task<Guid> StartAsync(HttpClient client, string list, object body)
    {
        var response = await client.PostAsJsonAsync($"/api/v1/{list}/bulk", body);
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        response.Headers.Location!.ToString().ShouldBe($"/api/v1/bulk/{id}");
        return id;
    }

    private static Task<JsonElement> FinishedAsync(HttpClient client, Guid id) =>
        Eventually.Until(() => client.GetFromJsonAsync<JsonElement>($"/api/v1/bulk/{id}"),
            op => op.GetProperty("status").GetString() is "completed" or "failed", TimeSpan.FromSeconds(90), $"bulk operation {id} to finish");

    private static Dictionary<Guid, string> Skipped(JsonElement op) =>
        op.GetProperty("skipped").EnumerateArray().ToDictionary(s => s.GetProperty("id").GetGuid(), s => s.GetProperty("reason").GetString()!);

    private async Task<JsonElement> LeadJsonAsync(Guid id) => await (await host.As("admin")).GetFromJsonAsync<JsonElement>($"/api/v1/leads/{id}");

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(host.Database.SuperuserConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        response.StatusCode.ShouldBe(status, await response.Content.ReadAsStringAsync());
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task Assigning_leads_by_ids_reassigns_each_one_and_audits_it_as_the_requester()
    {
        var ids = new[] { await LeadAsync("Assign one"), await LeadAsync("Assign two", "agent"), await LeadAsync("Assign three") };
        var manager = await host.As("manager");

        var op = await FinishedAsync(manager, await StartAsync(manager, "leads", new { ids, action = "assign", value = Tenant.Users["agent2"] }));

        (op.GetProperty("status").GetString(), op.GetProperty("total").GetInt32(), op.GetProperty("processed").GetInt32(), op.GetProperty("succeeded").GetInt32())
            .ShouldBe(("completed", 3, 3, 3));
        op.GetProperty("skipped").GetArrayLength().ShouldBe(0);
        foreach (var id in ids) (await LeadJsonAsync(id)).GetProperty("ownerId").GetGuid().ShouldBe(Tenant.Users["agent2"]);
        var inList = string.Join(",", ids.Select(i => $"'{i}'"));
        (await CountAsync($"select count(*) from audit_log where entity_type = 'lead' and action = 'updated' and entity_id in ({inList}) " +
                          $"and actor_id = '{Tenant.Users["manager"]}' and changes ? 'ownerId'")).ShouldBe(3);
    }

    [Fact]
    public async Task A_filter_selects_the_leads_the_list_shows_for_the_same_query_parameters()
    {
        var tag = "Filt" + Guid.NewGuid().ToString("N")[..8];
        var matching = new[] { await LeadAsync("F1", company: tag), await LeadAsync("F2", company: tag) };
        var otherStatus = await LeadAsync("F3", company: tag, status: "contacted");
        var otherCompany = await LeadAsync("F4", company: "Else " + tag[..3]);
        var manager = await host.As("manager");

        var op = await FinishedAsync(manager, await StartAsync(manager, "leads", new
        {
            filter = new Dictionary<string, object> { ["search"] = tag, ["status"] = "new", ["filter.company"] = "eq:" + tag },
            action = "status", value = "qualified",
        }));

        (op.GetProperty("total").GetInt32(), op.GetProperty("succeeded").GetInt32()).ShouldBe((2, 2));
        foreach (var id in matching) (await LeadJsonAsync(id)).GetProperty("status").GetString().ShouldBe("qualified");
        (await LeadJsonAsync(otherStatus)).GetProperty("status").GetString().ShouldBe("contacted");
        (await LeadJsonAsync(otherCompany)).GetProperty("status").GetString().ShouldBe("new");
    }

    [Fact]
    public async Task An_agent_changes_only_their_own_leads_and_the_others_are_skipped_with_the_reason()
    {
        var own = await LeadAsync("Mine", "agent");
        var colleagues = await LeadAsync("Theirs", "agent2");
        var agent = await host.As("agent");

        var op = await FinishedAsync(agent, await StartAsync(agent, "leads", new { ids = new[] { own, colleagues }, action = "status", value = "contacted" }));

        (op.GetProperty("succeeded").GetInt32(), op.GetProperty("processed").GetInt32()).ShouldBe((1, 2));
        Skipped(op).ShouldBe(new Dictionary<Guid, string> { [colleagues] = "Not found, or not visible to you." });
        (await LeadJsonAsync(own)).GetProperty("status").GetString().ShouldBe("contacted");
        (await LeadJsonAsync(colleagues)).GetProperty("status").GetString().ShouldBe("new");
    }

    [Fact]
    public async Task Another_tenants_records_are_skipped_and_its_members_cannot_read_the_operation()
    {
        var other = await host.CreateTenantAsync("bulk-other");
        using var otherAdmin = await host.LoginAsync(other.Email("admin"));
        var foreign = await otherAdmin.PostAsJsonAsync("/api/v1/leads", new { lastName = "Foreign" });
        var foreignId = (await foreign.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var admin = await host.As("admin");

        var id = await StartAsync(admin, "leads", new { ids = new[] { foreignId }, action = "assign", value = Tenant.Users["agent"] });
        var op = await FinishedAsync(admin, id);

        Skipped(op).ShouldBe(new Dictionary<Guid, string> { [foreignId] = "Not found, or not visible to you." });
        (await otherAdmin.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{foreignId}")).GetProperty("ownerId").ValueKind.ShouldBe(JsonValueKind.Null);
        (await otherAdmin.GetAsync($"/api/v1/bulk/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Only_the_requester_and_admins_may_read_an_operation()
    {
        var lead = await LeadAsync("Readable", "agent");
        var agent = await host.As("agent");
        var id = await StartAsync(agent, "leads", new { ids = new[] { lead }, action = "status", value = "contacted" });
        await FinishedAsync(agent, id);

        (await (await host.As("admin")).GetAsync($"/api/v1/bulk/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await (await host.As("agent2")).GetAsync($"/api/v1/bulk/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await (await host.As("manager")).GetAsync($"/api/v1/bulk/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("accounts", "status", "qualified", "action", "Accounts have no status to change in bulk.")]
    [InlineData("accounts", "add-to-queue", null, "action", "Dialer queues hold leads and contacts; accounts cannot be added to one.")]
    [InlineData("opportunities", "dnc", null, "action", "Opportunities have no phone numbers to add to the do-not-call list.")]
    [InlineData("leads", "explode", null, "action", "'explode' is not an action.")]
    [InlineData("leads", null, null, "action", "Action is required")]
    [InlineData("leads", "status", "bogus", "value", "'bogus' is not a status to set.")]
    [InlineData("leads", "status", null, "value", "Choose the new status")]
    [InlineData("leads", "assign", "not-an-id", "value", "'not-an-id' is not a user id.")]
    [InlineData("leads", "assign", "00000000-0000-0000-0000-000000000001", "value", "The owner must be an active member of this workspace.")]
    [InlineData("leads", "add-to-queue", "00000000-0000-0000-0000-000000000001", "value", "That is not one of your dialer queues.")]
    public async Task A_bad_action_or_value_is_a_400_naming_the_field(string list, string? action, string? value, string field, string message)
    {
        var admin = await host.As("admin");
        var problem = await ProblemAsync(await admin.PostAsJsonAsync($"/api/v1/{list}/bulk", new { ids = new[] { Guid.NewGuid() }, action, value }),
            HttpStatusCode.BadRequest);

        problem.GetProperty("errors").GetProperty(field)[0].GetString().ShouldStartWith(message);
    }

    [Fact]
    public async Task A_bad_selection_is_a_400_naming_the_field()
    {
        var admin = await host.As("admin");
        async Task<JsonElement> Errors(object body) =>
            (await ProblemAsync(await admin.PostAsJsonAsync("/api/v1/leads/bulk", body), HttpStatusCode.BadRequest)).GetProperty("errors");

        (await Errors(new { action = "delete" })).GetProperty("ids")[0].GetString()!.ShouldStartWith("Send ids");
        (await Errors(new { action = "delete", ids = Array.Empty<Guid>() })).GetProperty("ids")[0].GetString().ShouldBe("List at least one record.");
        (await Errors(new { action = "delete", ids = new[] { Guid.NewGuid() }, filter = new { } })).GetProperty("filter")[0].GetString().ShouldBe("Send either ids or filter, not both.");
        (await Errors(new { action = "delete", filter = new { nope = "x" } })).GetProperty("filter.nope")[0].GetString().ShouldBe("'nope' is not a query parameter of the leads list.");
        (await Errors(new { action = "delete", filter = new Dictionary<string, string> { ["filter.company"] = "gt:x" } })).GetProperty("filter.company")[0].GetString()!
            .ShouldContain("'gt' cannot be used with Company");
        (await Errors(new { action = "delete", filter = new { status = "sleepy" } })).GetProperty("filter.status")[0].GetString()!.ShouldStartWith("'sleepy' is not a valid status.");
        (await Errors(new { action = "delete", filter = new { search = "a\u0000b" } })).GetProperty("filter.search")[0].GetString().ShouldBe("A filter value cannot contain NUL characters.");
        (await Errors(new { action = "delete", filter = new { ownerId = "me" } })).GetProperty("filter.ownerId")[0].GetString().ShouldBe("'me' is not an id.");
        (await Errors(new { action = "delete", ids = new[] { Guid.NewGuid() }, colour = "red" })).GetProperty("colour")[0].GetString().ShouldBe("'colour' is not a known field.");
    }

    [Theory]
    [InlineData("manager", "delete", "Only administrators can delete leads.")]
    [InlineData("agent", "assign", "Your role cannot reassign leads.")]
    [InlineData("agent", "dnc", "Only administrators and managers can change the do-not-call list.")]
    [InlineData("readonly", "status", "Your role cannot change leads.")]
    public async Task An_action_the_role_may_not_take_on_any_record_is_a_403(string role, string action, string message)
    {
        var lead = await LeadAsync("Refused " + role, "agent");
        var client = await host.As(role);
        var value = action == "status" ? "contacted" : action == "assign" ? Tenant.Users["agent"].ToString() : null;

        var problem = await ProblemAsync(await client.PostAsJsonAsync("/api/v1/leads/bulk", new { ids = new[] { lead }, action, value }), HttpStatusCode.Forbidden);

        problem.GetProperty("detail").GetString().ShouldBe(message);
        (await CountAsync($"select count(*) from leads where id = '{lead}'")).ShouldBe(1);
    }

    [Fact]
    public async Task Admins_delete_in_bulk_and_each_delete_is_audited()
    {
        var ids = new[] { await LeadAsync("Delete one"), await LeadAsync("Delete two", "agent") };
        var admin = await host.As("admin");

        var op = await FinishedAsync(admin, await StartAsync(admin, "leads", new { ids, action = "delete" }));

        op.GetProperty("succeeded").GetInt32().ShouldBe(2);
        var inList = string.Join(",", ids.Select(i => $"'{i}'"));
        (await CountAsync($"select count(*) from leads where id in ({inList})")).ShouldBe(0);
        (await CountAsync($"select count(*) from audit_log where action = 'deleted' and entity_type = 'lead' and entity_id in ({inList}) and actor_id = '{Tenant.Users["admin"]}'"))
            .ShouldBe(2);
    }

    [Fact]
    public async Task Dnc_adds_each_records_numbers_and_skips_a_record_without_one()
    {
        var withPhone = await LeadAsync("Phone", phone: "(212) 555-0142");
        var without = await LeadAsync("No phone");
        var manager = await host.As("manager");
        var contact = await manager.PostAsJsonAsync("/api/v1/contacts", new { lastName = "Two numbers", phones = new[] { "(212) 555-0143", "(212) 555-0144" } });
        var contactId = (await contact.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var leads = await FinishedAsync(manager, await StartAsync(manager, "leads", new { ids = new[] { withPhone, without }, action = "dnc" }));
        var contacts = await FinishedAsync(manager, await StartAsync(manager, "contacts", new { ids = new[] { contactId }, action = "dnc" }));

        leads.GetProperty("succeeded").GetInt32().ShouldBe(1);
        Skipped(leads).ShouldBe(new Dictionary<Guid, string> { [without] = "It has no phone number." });
        contacts.GetProperty("succeeded").GetInt32().ShouldBe(1);
        (await CountAsync($"select count(*) from dnc_numbers where tenant_id = '{Tenant.Id}' and phone in ('+12125550142', '+12125550143', '+12125550144')")).ShouldBe(3);
    }

    [Fact]
    public async Task Add_to_queue_puts_the_agents_leads_in_their_queue_and_the_queue_serves_them()
    {
        var agent = await host.As("agent");
        var queue = await agent.PostAsJsonAsync("/api/v1/dialer/queues", new { name = "Hand picked " + Guid.NewGuid().ToString("N")[..6], statuses = new[] { "unqualified" } });
        var queueId = (await queue.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var callable = await LeadAsync("Queue me", "agent", phone: "(212) 555-0150");
        var noPhone = await LeadAsync("No phone to queue", "agent");

        var op = await FinishedAsync(agent, await StartAsync(agent, "leads", new { ids = new[] { callable, noPhone }, action = "add-to-queue", value = queueId }));

        op.GetProperty("succeeded").GetInt32().ShouldBe(1);
        Skipped(op).ShouldBe(new Dictionary<Guid, string> { [noPhone] = "It has no phone number." });
        (await CountAsync($"select count(*) from dialer_queue_members where queue_id = '{queueId}' and lead_id = '{callable}'")).ShouldBe(1);
        // The queue's filter (unqualified leads) does not match the new lead; its membership does.
        var session = await agent.PostAsync($"/api/v1/dialer/queues/{queueId}/session", null);
        session.EnsureSuccessStatusCode();
        var sessionId = (await session.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var turn = await (await agent.PostAsync($"/api/v1/dialer/sessions/{sessionId}/turn", null)).Content.ReadFromJsonAsync<JsonElement>();
        turn.GetProperty("remaining").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task A_selection_of_more_than_a_batch_is_worked_through_to_the_end()
    {
        var tag = "Batch" + Guid.NewGuid().ToString("N")[..8];
        await using (var connection = new NpgsqlConnection(host.Database.SuperuserConnectionString))
        {
            await connection.OpenAsync();
            await using var seed = new NpgsqlCommand($"""
                insert into leads (tenant_id, id, first_name, last_name, company, status, created_at, updated_at)
                select '{Tenant.Id}', gen_random_uuid(), 'Row', 'Batch ' || g, '{tag}', 'new', now(), now() from generate_series(1, 450) g
                """, connection);
            await seed.ExecuteNonQueryAsync();
        }
        var manager = await host.As("manager");

        var id = await StartAsync(manager, "leads", new { filter = new { search = tag }, action = "assign", value = Tenant.Users["agent"] });
        var op = await FinishedAsync(manager, id);

        (op.GetProperty("total").GetInt32(), op.GetProperty("processed").GetInt32(), op.GetProperty("succeeded").GetInt32()).ShouldBe((450, 450, 450));
        (await CountAsync($"select count(*) from leads where company = '{tag}' and owner_id = '{Tenant.Users["agent"]}'")).ShouldBe(450);
        (await CountAsync($"select count(*) from jobs where kind = 'bulk.run' and payload->>'operationId' = '{id}' and completed_at is not null")).ShouldBe(1);
    }
}
