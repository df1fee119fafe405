using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ModelContextProtocol.Client;
using Switchboard.Testing;
using static Switchboard.Tests.Features.ApiKeys.ApiKeyClients;

namespace Switchboard.Tests.Features.Mcp;

/// <summary>
/// The MCP server for AI agents (issue 13 §5, ADR 0054), driven with the official C# MCP client over streamable HTTP:
/// API keys only, each tool held to its REST twin's scope and the key's role, invisible records not found, changes
/// audited as the key, calls placed through the compliance guard.
/// </summary>
public sealed class McpServerTests(McpHost host) : IClassFixture<McpHost>
{
    [Fact]
    public async Task The_server_lists_every_tool_with_a_description_and_described_parameters()
    {
        await using var client = await host.ConnectAsync(await host.KeyAsync("role:agent"));

        var tools = await client.ListToolsAsync();

        tools.Select(t => t.Name).Order().ShouldBe(
            ["call_prep", "complete_task", "create_lead", "create_task", "get_contact", "get_lead", "log_note", "my_open_tasks", "search_records", "start_call", "update_lead"]);
        tools.ShouldAllBe(t => !string.IsNullOrWhiteSpace(t.Description));
        var createLead = tools.Single(t => t.Name == "create_lead").JsonSchema;
        createLead.GetProperty("required").EnumerateArray().Select(e => e.GetString()).ShouldBe(["lastName"]);
        createLead.GetProperty("properties").GetProperty("email").GetProperty("description").GetString().ShouldNotBeNullOrWhiteSpace();
        tools.Single(t => t.Name == "get_lead").ProtocolTool.Annotations!.ReadOnlyHint.ShouldBe(true);
    }

    [Fact]
    public async Task A_readonly_key_searches_and_reads_but_may_not_write()
    {
        var lead = await host.LeadAsync("Readable-Quillfeather", "(212) 555-0142");
        var created = await (await host.As("admin")).PostAsJsonAsync("/api/v1/contacts", new { firstName = "Rita", lastName = "Readable-Contact" });
        var contact = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await using var client = await host.ConnectAsync(await host.KeyAsync("role:readonly"));

        var found = await client.OkAsync("search_records", new { query = "Quillfeather" });
        var read = await client.OkAsync("get_lead", new { id = lead });
        var readContact = await client.OkAsync("get_contact", new { id = contact });
        var refused = await client.ErrorAsync("create_lead", new { lastName = "Not allowed" });

        found.GetProperty("leads").EnumerateArray().Select(h => h.GetProperty("id").GetGuid()).ShouldContain(lead);
        read.GetProperty("lead").GetProperty("lastName").GetString().ShouldBe("Readable-Quillfeather");
        read.GetProperty("timeline").GetProperty("total").GetInt32().ShouldBeGreaterThanOrEqualTo(0);
        readContact.GetProperty("contact").GetProperty("lastName").GetString().ShouldBe("Readable-Contact");
        readContact.GetProperty("timeline").GetProperty("total").GetInt32().ShouldBeGreaterThanOrEqualTo(0);
        refused.ShouldContain("forbidden:");
    }

    [Fact]
    public async Task Call_prep_reads_the_record_with_its_open_tasks_and_talking_points_for_keys_that_may_see_it()
    {
        var lead = await host.LeadAsync("Prepared-Quillfeather", "(212) 555-0144");
        (await (await host.As("admin")).PostAsJsonAsync("/api/v1/activities",
            new { type = "email", subject = "Send the renewal quote", relatedType = "lead", relatedId = lead })).EnsureSuccessStatusCode();
        await using var reader = await host.ConnectAsync(await host.KeyAsync("role:readonly"));
        await using var contactsOnly = await host.ConnectAsync(await host.KeyAsync("contacts:read"));

        var prep = await reader.OkAsync("call_prep", new { type = "lead", id = lead });
        var wrongScope = await contactsOnly.ErrorAsync("call_prep", new { type = "lead", id = lead });
        var unknown = await reader.ErrorAsync("call_prep", new { type = "lead", id = Guid.NewGuid() });
        var badType = await reader.ErrorAsync("call_prep", new { type = "account", id = lead });

        prep.GetProperty("record").GetProperty("name").GetString()!.ShouldContain("Prepared-Quillfeather");
        prep.GetProperty("openTasks").EnumerateArray().ShouldContain(t => t.GetProperty("subject").GetString() == "Send the renewal quote");
        prep.GetProperty("talkingPoints").GetArrayLength().ShouldBeGreaterThan(0);
        wrongScope.ShouldContain("forbidden: needs scope leads:read");
        unknown.ShouldContain("not found: no lead with this id is visible to this API key.");
        badType.ShouldContain("invalid:");
    }

    [Fact]
    public async Task A_scoped_key_reads_within_its_scopes_and_is_told_the_scope_a_write_needs()
    {
        var lead = await host.LeadAsync("Scoped-Reader");
        await using var client = await host.ConnectAsync(await host.KeyAsync("leads:read"));

        var read = await client.OkAsync("get_lead", new { id = lead });
        var write = await client.ErrorAsync("create_lead", new { lastName = "Nope" });
        var note = await client.ErrorAsync("log_note", new { relatedType = "lead", relatedId = lead, body = "Nope" });
        var search = await client.ErrorAsync("search_records", new { query = "Scoped" });

        read.GetProperty("lead").GetProperty("id").GetGuid().ShouldBe(lead);
        IsAbsentOrNull(read, "timeline").ShouldBeTrue(read.ToString());
        read.GetProperty("timelineOmitted").GetString()!.ShouldContain("activities:read");
        write.ShouldContain("forbidden: needs scope leads:write");
        note.ShouldContain("forbidden: needs scope activities:write");
        search.ShouldContain("forbidden:");
    }

    [Fact]
    public async Task An_agent_key_creates_a_lead_logs_a_note_and_creates_and_completes_a_task_seen_in_its_open_tasks()
    {
        await using var client = await host.ConnectAsync(await host.KeyAsync("role:agent"));

        var lead = await client.OkAsync("create_lead", new { lastName = "Agentic", firstName = "Ada", company = "Loom Works", phone = "(212) 555-0143" });
        var leadId = lead.GetProperty("id").GetGuid();
        var note = await client.OkAsync("log_note", new { relatedType = "lead", relatedId = leadId, body = "Asked for **pricing**." });
        var task = await client.OkAsync("create_task", new { subject = "Send pricing", relatedType = "lead", relatedId = leadId, dueAt = "2030-01-15T15:00:00Z" });
        var taskId = task.GetProperty("id").GetGuid();
        var open = await client.OkAsync("my_open_tasks");
        var completed = await client.OkAsync("complete_task", new { id = taskId });
        var openAfter = await client.OkAsync("my_open_tasks");
        var withTimeline = await client.OkAsync("get_lead", new { id = leadId });

        lead.GetProperty("company").GetString().ShouldBe("Loom Works");
        lead.GetProperty("phone").GetString().ShouldBe("+12125550143");
        lead.GetProperty("ownerId").GetGuid().ShouldBe(host.Tenant.Users["admin"]);
        note.GetProperty("relatedId").GetGuid().ShouldBe(leadId);
        var listed = open.GetProperty("tasks").EnumerateArray().Single(t => t.GetProperty("task").GetProperty("id").GetGuid() == taskId);
        listed.GetProperty("recordName").GetString().ShouldBe("Ada Agentic");
        listed.GetProperty("due").GetString().ShouldBe("upcoming");
        completed.GetProperty("status").GetString().ShouldBe("completed");
        openAfter.GetProperty("tasks").EnumerateArray().ShouldNotContain(t => t.GetProperty("task").GetProperty("id").GetGuid() == taskId);
        var kinds = withTimeline.GetProperty("timeline").GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("kind").GetString()).ToList();
        kinds.ShouldContain("note");
        kinds.ShouldContain("activity");
    }

    [Fact]
    public async Task An_update_changes_only_the_fields_given_and_a_stale_version_is_a_conflict()
    {
        await using var client = await host.ConnectAsync(await host.KeyAsync("role:manager"));
        var lead = await client.OkAsync("create_lead", new { lastName = "Versioned", company = "Old Co", title = "CTO" });
        var id = lead.GetProperty("id").GetGuid();
        var version = lead.GetProperty("version").GetInt32();

        var updated = await client.OkAsync("update_lead", new { id, version, company = "New Co", status = "contacted" });
        var stale = await client.ErrorAsync("update_lead", new { id, version, company = "Stale Co" });
        var cleared = await client.OkAsync("update_lead", new { id, title = "" });

        updated.GetProperty("company").GetString().ShouldBe("New Co");
        updated.GetProperty("status").GetString().ShouldBe("contacted");
        updated.GetProperty("title").GetString().ShouldBe("CTO");
        updated.GetProperty("version").GetInt32().ShouldBeGreaterThan(version);
        stale.ShouldContain("conflict:");
        IsAbsentOrNull(cleared, "title").ShouldBeTrue(cleared.ToString());
        cleared.GetProperty("company").GetString().ShouldBe("New Co");
    }

    [Fact]
    public async Task Invalid_arguments_come_back_as_a_tool_error_naming_each_field()
    {
        await using var client = await host.ConnectAsync(await host.KeyAsync("role:agent"));

        var lead = await client.ErrorAsync("create_lead", new { lastName = " ", email = "not-an-email", status = "sleeping" });
        var id = await client.ErrorAsync("get_lead", new { id = "42" });
        var task = await client.ErrorAsync("create_task", new { subject = "Due whenever", dueAt = "next tuesday-ish" });

        lead.ShouldContain("invalid:");
        lead.ShouldContain("lastName:");
        lead.ShouldContain("email:");
        lead.ShouldContain("status:");
        id.ShouldContain("invalid: id:");
        task.ShouldContain("dueAt:");
    }

    [Fact]
    public async Task Another_tenants_lead_is_not_found_exactly_as_a_lead_that_does_not_exist()
    {
        var other = await host.CreateTenantAsync("mcp-elsewhere");
        using var otherAdmin = await host.LoginAsync(other.Email("admin"));
        var theirs = (await (await otherAdmin.PostAsJsonAsync("/api/v1/leads", new { lastName = "Elsewhere", phone = "(212) 555-0144" }))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await using var client = await host.ConnectAsync(await host.KeyAsync("role:admin"));

        var get = await client.ErrorAsync("get_lead", new { id = theirs });
        var missing = await client.ErrorAsync("get_lead", new { id = Guid.NewGuid() });
        var update = await client.ErrorAsync("update_lead", new { id = theirs, company = "Taken over" });
        var note = await client.ErrorAsync("log_note", new { relatedType = "lead", relatedId = theirs, body = "Peek" });
        var call = await client.ErrorAsync("start_call", new { leadId = theirs });

        get.ShouldContain("not found:");
        get.ShouldBe(missing);
        update.ShouldContain("not found:");
        note.ShouldContain("not found:");
        call.ShouldContain("not found:");
        var stillTheirs = await otherAdmin.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{theirs}");
        stillTheirs.GetProperty("company").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task An_agent_key_does_not_see_leads_its_user_does_not_own()
    {
        var agent = await host.As("agent");
        var owned = (await (await agent.PostAsJsonAsync("/api/v1/leads", new { lastName = "Owned-By-Agent" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await using var client = await host.ConnectAsync(await host.KeyAsync("role:agent"));

        (await client.ErrorAsync("get_lead", new { id = owned })).ShouldContain("not found:");
    }

    [Fact]
    public async Task Without_a_valid_key_the_endpoint_answers_401_a_revoked_key_included_and_a_browser_session_never_passes()
    {
        var admin = await host.As("admin");
        var key = await CreateAsync(admin, new { name = "MCP revoked", role = "agent" });
        await using (var client = await host.ConnectAsync(key)) (await client.ListToolsAsync()).ShouldNotBeEmpty();
        (await admin.DeleteAsync($"/api/v1/api-keys/{key.Id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var connect = await Should.ThrowAsync<Exception>(() => host.ConnectAsync(key));
        Chain(connect).Any(IsUnauthorized).ShouldBeTrue(connect.ToString());
        (await DetailAsync(await PostInitializeAsync(h => h.Add("X-Api-Key", key.Key)), HttpStatusCode.Unauthorized)).ShouldContain("revoked");
        (await PostInitializeAsync(_ => { })).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var token = (await (await host.CreateClient().PostAsJsonAsync("/api/v1/auth/login", new { email = host.Tenant.Email("admin"), password = SwitchboardHost.Password }))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
        (await PostInitializeAsync(h => h.Authorization = new AuthenticationHeaderValue("Bearer", token))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        using var browser = await PageClient.SignInAsync(host, host.Tenant.Email("admin"));
        (await browser.Http.SendAsync(Initialize(_ => { }))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_key_sent_from_a_signed_in_browser_acts_as_the_key_never_as_the_session()
    {
        using var browser = await PageClient.SignInAsync(host, host.Tenant.Email("admin"));
        var key = await host.KeyAsync("role:readonly");
        await using var client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = host.Endpoint, TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["X-Api-Key"] = key.Key },
        }, browser.Http, null, false));

        (await client.ErrorAsync("create_lead", new { lastName = "Cookie-borne" })).ShouldContain("forbidden:");
    }

    [Fact]
    public async Task Tool_calls_take_from_the_keys_api_rate_limit_bucket()
    {
        var tenant = await host.CreateTenantAsync("mcp-limited");
        using (var root = await host.SuperadminAsync())
            (await root.PatchAsJsonAsync($"/api/v1/tenants/{tenant.Id}/rate-limits", new { keyPerSecond = 1, keyBurst = 6 })).EnsureSuccessStatusCode();
        using var admin = await host.LoginAsync(tenant.Email("admin"));
        var key = await CreateAsync(admin, new { name = "Limited agent", role = "agent" });
        await using var client = await host.ConnectAsync(key);

        Exception? refused = null;
        for (var call = 0; call < 50 && refused is null; call++)
        {
            try { await client.OkAsync("my_open_tasks"); }
            catch (Exception e) when (Chain(e).Any(IsTooManyRequests)) { refused = e; }
        }

        refused.ShouldNotBeNull("no 429 within 50 tool calls");
    }

    [Fact]
    public async Task Start_call_goes_through_the_compliance_guard_a_refusal_is_a_tool_error_with_its_reason()
    {
        (await (await host.As("manager")).PostAsJsonAsync("/api/v1/dnc", new { phone = "(212) 555-0145", reason = "Asked not to be called" })).EnsureSuccessStatusCode();
        var key = await host.KeyAsync("role:agent");
        await using var client = await host.ConnectAsync(key);
        var blocked = (await client.OkAsync("create_lead", new { lastName = "Blocked", phone = "212.555.0145" })).GetProperty("id").GetGuid();
        var callable = (await client.OkAsync("create_lead", new { lastName = "Callable", phone = "(212) 555-0146" })).GetProperty("id").GetGuid();

        var refusal = await client.ErrorAsync("start_call", new { leadId = blocked });
        var started = await client.OkAsync("start_call", new { leadId = callable });

        refusal.ShouldContain("refused (dnc):");
        started.GetProperty("status").GetString().ShouldBe("queued");
        var call = await (await host.As("admin")).GetFromJsonAsync<JsonElement>($"/api/v1/calls/{started.GetProperty("id").GetGuid()}");
        call.GetProperty("leadId").GetGuid().ShouldBe(callable);
        call.GetProperty("agentId").GetGuid().ShouldBe(host.Tenant.Users["admin"]);
        (await host.AuditRowsAsync("lead", blocked)).ShouldContain(new McpHost.AuditRow("call.blocked", "api-key", key.Id, "MCP role:agent"));
    }

    [Fact]
    public async Task Changes_made_through_the_tools_are_audited_as_the_key()
    {
        var key = await host.KeyAsync("leads:write,activities:write");
        await using var client = await host.ConnectAsync(key);

        var lead = (await client.OkAsync("create_lead", new { lastName = "Audited" })).GetProperty("id").GetGuid();
        await client.OkAsync("update_lead", new { id = lead, company = "Audit & Co" });
        var note = (await client.OkAsync("log_note", new { relatedType = "lead", relatedId = lead, body = "Audited note" })).GetProperty("id").GetGuid();

        var leadRows = await host.AuditRowsAsync("lead", lead);
        leadRows.Select(r => r.Action).ShouldBe(["created", "updated"]);
        leadRows.ShouldAllBe(r => r.ActorType == "api-key" && r.ActorId == key.Id && r.ActorName == "MCP leads:write,activities:write");
        (await host.AuditRowsAsync("note", note)).ShouldAllBe(r => r.ActorType == "api-key" && r.ActorId == key.Id);
    }

    /// <summary>The tools' JSON leaves out null members.</summary>
    private static bool IsAbsentOrNull(JsonElement e, string name) => !e.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null;

    private static bool IsTooManyRequests(Exception e) => e is HttpRequestException { StatusCode: HttpStatusCode.TooManyRequests } || e.Message.Contains("429");

    private static bool IsUnauthorized(Exception e) => e is HttpRequestException { StatusCode: HttpStatusCode.Unauthorized } || e.Message.Contains("401");

    private static IEnumerable<Exception> Chain(Exception? e)
    {
        for (; e is not null; e = e.InnerException) yield return e;
    }

    private async Task<HttpResponseMessage> PostInitializeAsync(Action<HttpRequestHeaders> headers)
    {
        using var http = host.CreateClient();
        return await http.SendAsync(Initialize(headers));
    }

    private HttpRequestMessage Initialize(Action<HttpRequestHeaders> headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, host.Endpoint)
        {
            Content = JsonContent.Create(new
            {
                jsonrpc = "2.0", id = 1, method = "initialize",
                @params = new { protocolVersion = "2025-06-18", capabilities = new { }, clientInfo = new { name = "raw", version = "1" } },
            }),
        };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        headers(request.Headers);
        return request;
    }
}
