using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Calls;

/// <summary>A contact is called like a lead: at its first phone, through the same compliance guard.</summary>
public sealed class ContactCallTests(CallingHost host) : IClassFixture<CallingHost>
{
    private async Task<Guid> ContactAsync(string phone)
    {
        var manager = await host.As("manager");
        var response = await manager.PostAsJsonAsync("/api/v1/contacts", new { lastName = "Callable", phones = new[] { phone }, ownerId = host.Tenant.Users["agent"] });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    [Fact]
    public async Task Agent_calls_a_contact_at_its_first_phone_and_the_call_names_the_contact()
    {
        var contact = await ContactAsync("(212) 555-0180");
        var agent = await host.As("agent");

        var response = await agent.PostAsJsonAsync("/api/v1/calls", new { contactId = contact });

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var call = await agent.GetFromJsonAsync<JsonElement>($"/api/v1/calls/{(await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid()}");
        call.GetProperty("contactId").GetGuid().ShouldBe(contact);
        call.GetProperty("leadId").ValueKind.ShouldBe(JsonValueKind.Null);
        call.GetProperty("to").GetString().ShouldBe("+12125550180");
    }

    [Fact]
    public async Task A_contact_whose_number_is_on_the_do_not_call_list_is_not_called()
    {
        var contact = await ContactAsync("(212) 555-0181");
        (await (await host.As("manager")).PostAsJsonAsync("/api/v1/dnc", new { phone = "(212) 555-0181" })).EnsureSuccessStatusCode();

        var response = await (await host.As("agent")).PostAsJsonAsync("/api/v1/calls", new { contactId = contact });

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString().ShouldBe("dnc");
    }

    [Fact]
    public async Task Another_agents_contact_cannot_be_called()
    {
        var contact = await ContactAsync("(212) 555-0182");

        var response = await (await host.As("agent2")).PostAsJsonAsync("/api/v1/calls", new { contactId = contact });

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
