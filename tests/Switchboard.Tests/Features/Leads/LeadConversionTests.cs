using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Switchboard.Testing;
using Switchboard.Tests.Features.Activities;

namespace Switchboard.Tests.Features.Leads;

/// <summary>POST /api/v1/leads/{id}/convert: the records it makes, the role matrix, and that a failure writes nothing.</summary>
public sealed class LeadConversionTests(SwitchboardHostWithTenant host) : IClassFixture<SwitchboardHostWithTenant>
{
    private async Task<Guid> LeadAsync(string ownerRole, object? fields = null)
    {
        var manager = await host.As("manager");
        var body = JsonSerializer.SerializeToNode(fields ?? new { lastName = "Prospect" })!.AsObject();
        body["ownerId"] = host.Tenant.Users[ownerRole];
        var response = await manager.PostAsJsonAsync("/api/v1/leads", body);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await ActivityTestData.IdOf(response);
    }

    private static Task<HttpResponseMessage> ConvertAsync(HttpClient client, Guid lead, object body) =>
        client.PostAsJsonAsync($"/api/v1/leads/{lead}/convert", body);

    private async Task<long> CountAsync(string sql, Guid? id = null)
    {
        await using var connection = new NpgsqlConnection(host.Database.SuperuserConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("tenant", host.Tenant.Id);
        if (id is { } value) command.Parameters.AddWithValue("id", value);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private Task<long> RowsAsync(string table) => CountAsync($"select count(*) from {table} where tenant_id = @tenant");

    private async Task InsertCallAsync(Guid leadId)
    {
        await using var connection = new NpgsqlConnection(host.Database.SuperuserConnectionString);
        await connection.OpenAsync();
        await using var insert = new NpgsqlCommand("""
            insert into calls (tenant_id, id, direction, from_number, to_number, lead_id, agent_id, provider, status, created_at, updated_at, notes)
            values (@tenant, @id, 'outbound', '+12125550100', '+12125550150', @lead, @agent, 'twilio', 'completed', now(), now(), 'Asked about pricing')
            """, connection);
        insert.Parameters.AddWithValue("tenant", host.Tenant.Id);
        insert.Parameters.AddWithValue("id", Guid.CreateVersion7());
        insert.Parameters.AddWithValue("lead", leadId);
        insert.Parameters.AddWithValue("agent", host.Tenant.Users["agent"]);
        await insert.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task Converting_with_an_opportunity_while_opportunities_are_switched_off_is_a_400_and_writes_nothing()
    {
        var admin = await host.As("admin");
        var lead = await LeadAsync("agent", new { lastName = "Module", company = "Off Co" });
        var accountsBefore = await RowsAsync("accounts");
        (await admin.PatchAsJsonAsync("/api/v1/modules", new { opportunities = false })).EnsureSuccessStatusCode();
        try
        {
            var response = await ConvertAsync(admin, lead, new { opportunity = new { name = "Deal" } });

            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("opportunity")[0].GetString()!
                .ShouldContain("switched off");
            (await RowsAsync("accounts")).ShouldBe(accountsBefore);
        }
        finally
        {
            (await admin.PatchAsJsonAsync("/api/v1/modules", new { opportunities = true })).EnsureSuccessStatusCode();
        }
    }

    [Fact]
    public async Task The_lead_page_offers_no_opportunity_in_the_convert_form_while_opportunities_are_switched_off()
    {
        var admin = await host.As("admin");
        var lead = await LeadAsync("agent");
        var cookies = await FloorClient.SignInAsync(host.BaseAddress, host.Tenant.Email("admin"));
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = host.BaseAddress };
        (await browser.GetStringAsync($"/leads/{lead}")).ShouldContain("convert-create-opportunity");
        (await admin.PatchAsJsonAsync("/api/v1/modules", new { opportunities = false })).EnsureSuccessStatusCode();
        try
        {
            var page = await browser.GetStringAsync($"/leads/{lead}");

            page.ShouldContain("convert-submit");
            page.ShouldNotContain("convert-create-opportunity");
        }
        finally
        {
            (await admin.PatchAsJsonAsync("/api/v1/modules", new { opportunities = true })).EnsureSuccessStatusCode();
        }
    }

    [Fact]
    public async Task A_lead_cannot_be_marked_converted_by_an_update()
    {
        var manager = await host.As("manager");
        var lead = await LeadAsync("agent");

        var response = await manager.PatchAsJsonAsync($"/api/v1/leads/{lead}", new { status = "converted" });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("status")[0].GetString()!
            .ShouldContain("/convert");
    }

    [Fact]
    public async Task Converting_creates_an_account_a_contact_and_an_opportunity_and_links_them_to_the_lead()
    {
        var lead = await LeadAsync("agent", new
        {
            firstName = "Ada", lastName = "Lovelace", title = "CTO", company = "Analytical Engines", email = "ada@analytical-engines.example",
            phone = "+12125550123",
        });
        var agent = await host.As("agent");

        var response = await ConvertAsync(agent, lead, new { opportunity = new { name = "Engine order", amount = 5000 } });

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var result = await response.JsonAsync();
        result.GetProperty("accountCreated").GetBoolean().ShouldBeTrue();
        var accountId = result.GetProperty("accountId").GetGuid();
        var contactId = result.GetProperty("contactId").GetGuid();
        var opportunityId = result.GetProperty("opportunityId").GetGuid();
        var account = await agent.GetFromJsonAsync<JsonElement>($"/api/v1/accounts/{accountId}");
        account.GetProperty("name").GetString().ShouldBe("Analytical Engines");
        account.GetProperty("ownerId").GetGuid().ShouldBe(host.Tenant.Users["agent"]);
        var contact = await agent.GetFromJsonAsync<JsonElement>($"/api/v1/contacts/{contactId}");
        contact.GetProperty("firstName").GetString().ShouldBe("Ada");
        contact.GetProperty("lastName").GetString().ShouldBe("Lovelace");
        contact.GetProperty("title").GetString().ShouldBe("CTO");
        contact.GetProperty("emails")[0].GetString().ShouldBe("ada@analytical-engines.example");
        contact.GetProperty("phones")[0].GetString().ShouldBe("+12125550123");
        contact.GetProperty("accountId").GetGuid().ShouldBe(accountId);
        var opportunity = await agent.GetFromJsonAsync<JsonElement>($"/api/v1/opportunities/{opportunityId}");
        opportunity.GetProperty("accountId").GetGuid().ShouldBe(accountId);
        opportunity.GetProperty("contactId").GetGuid().ShouldBe(contactId);
        opportunity.GetProperty("amount").GetDecimal().ShouldBe(5000m);
        var converted = await agent.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{lead}");
        converted.GetProperty("status").GetString().ShouldBe("converted");
        converted.GetProperty("convertedAt").ValueKind.ShouldBe(JsonValueKind.String);
        converted.GetProperty("convertedAccountId").GetGuid().ShouldBe(accountId);
        converted.GetProperty("convertedContactId").GetGuid().ShouldBe(contactId);
        converted.GetProperty("convertedOpportunityId").GetGuid().ShouldBe(opportunityId);
        (await CountAsync("select count(*) from audit_log where tenant_id = @tenant and action = 'lead.converted' and entity_id = @id::text", lead)).ShouldBe(1);
    }

    [Fact]
    public async Task Converting_links_the_existing_account_whose_domain_matches_the_leads_email()
    {
        var manager = await host.As("manager");
        var existing = await ActivityTestData.IdOf(await manager.PostAsJsonAsync("/api/v1/accounts", new { name = "Acme Rockets", domain = "acme-rockets.example" }));
        var lead = await LeadAsync("agent", new { lastName = "Coyote", company = "Acme", email = "wile@acme-rockets.example" });

        var result = await (await ConvertAsync(manager, lead, new { })).JsonAsync();

        result.GetProperty("accountId").GetGuid().ShouldBe(existing);
        result.GetProperty("accountCreated").GetBoolean().ShouldBeFalse();
        result.GetProperty("opportunityId").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task Converting_with_an_account_id_links_that_account()
    {
        var manager = await host.As("manager");
        var chosen = await ActivityTestData.IdOf(await manager.PostAsJsonAsync("/api/v1/accounts", new { name = "Chosen Inc" }));
        var lead = await LeadAsync("agent", new { lastName = "Picked", company = "Something Else" });

        var response = await ConvertAsync(manager, lead, new { account = new { id = chosen } });

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var contactId = (await response.JsonAsync()).GetProperty("contactId").GetGuid();
        var contact = await manager.GetFromJsonAsync<JsonElement>($"/api/v1/contacts/{contactId}");
        contact.GetProperty("accountId").GetGuid().ShouldBe(chosen);
    }

    [Theory]
    [InlineData("agent", "agent", HttpStatusCode.OK)]
    [InlineData("agent2", "agent", HttpStatusCode.NotFound)]
    [InlineData("agent", "readonly", HttpStatusCode.Forbidden)]
    [InlineData("agent", "manager", HttpStatusCode.OK)]
    [InlineData("agent2", "admin", HttpStatusCode.OK)]
    public async Task Converting_follows_the_lead_edit_rules_of_the_role_matrix(string owner, string caller, HttpStatusCode expected)
    {
        var lead = await LeadAsync(owner, new { lastName = $"Matrix {owner} {caller}" });

        var response = await ConvertAsync(await host.As(caller), lead, new { });

        response.StatusCode.ShouldBe(expected, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Converting_an_already_converted_lead_is_a_conflict()
    {
        var lead = await LeadAsync("agent", new { lastName = "Twice" });
        var manager = await host.As("manager");
        (await ConvertAsync(manager, lead, new { })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var again = await ConvertAsync(manager, lead, new { });

        again.StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task An_invalid_opportunity_fails_the_conversion_and_writes_nothing()
    {
        var lead = await LeadAsync("agent", new { lastName = "Rollback", company = "Rollback Ltd" });
        var manager = await host.As("manager");
        var before = (await RowsAsync("accounts"), await RowsAsync("contacts"), await RowsAsync("opportunities"));

        var response = await ConvertAsync(manager, lead, new { opportunity = new { name = "Bad stage", stageId = Guid.NewGuid() } });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.JsonAsync()).GetProperty("errors").TryGetProperty("opportunity.stageId", out _).ShouldBeTrue();
        (await RowsAsync("accounts"), await RowsAsync("contacts"), await RowsAsync("opportunities")).ShouldBe(before);
        var unchanged = await manager.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{lead}");
        unchanged.GetProperty("status").GetString().ShouldBe("new");
        unchanged.GetProperty("convertedAt").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task An_unknown_part_of_the_body_is_a_validation_error()
    {
        var lead = await LeadAsync("agent", new { lastName = "Unknown part" });

        var response = await ConvertAsync(await host.As("manager"), lead, new { deal = new { name = "x" } });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.JsonAsync()).GetProperty("errors").TryGetProperty("deal", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task The_leads_calls_notes_and_activities_appear_on_the_new_contacts_timeline()
    {
        var lead = await LeadAsync("agent", new { lastName = "History" });
        var agent = await host.As("agent");
        await InsertCallAsync(lead);
        var note = await agent.NoteAsync(lead, "Met at the trade show");
        var task = await agent.ActivityAsync(new { subject = "Follow up", relatedType = "lead", relatedId = lead });
        var contactId = (await (await ConvertAsync(agent, lead, new { })).JsonAsync()).GetProperty("contactId").GetGuid();

        var timeline = await agent.GetFromJsonAsync<JsonElement>($"/api/v1/timeline?relatedType=contact&relatedId={contactId}");

        var items = timeline.GetProperty("items").EnumerateArray().ToList();
        items.ShouldContain(i => i.GetProperty("kind").GetString() == "call");
        items.ShouldContain(i => i.GetProperty("kind").GetString() == "note" && i.GetProperty("id").GetGuid() == note);
        items.ShouldContain(i => i.GetProperty("kind").GetString() == "activity" && i.GetProperty("id").GetGuid() == task);
    }
}

/// <summary>A required custom field on contacts: conversion reports it under "contact." and writes nothing.</summary>
public sealed class LeadConversionCustomFieldTests(SwitchboardHostWithTenant host) : IClassFixture<SwitchboardHostWithTenant>
{
    [Fact]
    public async Task A_missing_required_contact_custom_field_fails_the_conversion_and_writes_nothing()
    {
        var admin = await RequiredContactFieldsAsync();
        var lead = await ActivityTestData.IdOf(await admin.PostAsJsonAsync("/api/v1/leads", new { lastName = "Needs region", company = "Region Co" }));
        var before = await AccountsAndContactsAsync();

        var response = await admin.PostAsJsonAsync($"/api/v1/leads/{lead}/convert", new { });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await response.JsonAsync()).GetProperty("errors");
        errors.EnumerateObject().Select(e => e.Name).ShouldContain("contact.custom.region");
        (await AccountsAndContactsAsync()).ShouldBe(before);
    }

    /// <summary>Both tests need the same fields, whichever runs first (the class shares one database).</summary>
    private async Task<HttpClient> RequiredContactFieldsAsync()
    {
        var admin = await host.As("admin");
        foreach (var key in new[] { "region", "tier" })
        {
            var response = await admin.PostAsJsonAsync("/api/v1/custom-fields", new { entity = "contact", key, label = key, type = "text", required = true });
            response.StatusCode.ShouldBeOneOf(HttpStatusCode.Created, HttpStatusCode.BadRequest); // 400: the other test made it
        }
        return admin;
    }

    private async Task<long> AccountsAndContactsAsync()
    {
        await using var connection = new NpgsqlConnection(host.Database.SuperuserConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("select (select count(*) from accounts) + (select count(*) from contacts)", connection);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task The_required_contact_custom_field_can_be_sent_with_the_conversion()
    {
        var admin = await RequiredContactFieldsAsync();
        var lead = await ActivityTestData.IdOf(await admin.PostAsJsonAsync("/api/v1/leads", new { lastName = "Has tier" }));

        var response = await admin.PostAsJsonAsync($"/api/v1/leads/{lead}/convert",
            new { contact = new { custom = new { tier = "gold", region = "north" } } });

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }
}

/// <summary>Another tenant's lead cannot be converted: 404, like every other verb.</summary>
public sealed class CrossTenantLeadConversionTests(CrossTenantFixture fixture) : IClassFixture<CrossTenantFixture>
{
    [Fact]
    public async Task Converting_another_tenants_lead_is_not_found() =>
        (await fixture.AdminOfA.PostAsJsonAsync($"/api/v1/leads/{fixture.ForeignLead}/convert", new { }))
            .StatusCode.ShouldBe(HttpStatusCode.NotFound);
}
