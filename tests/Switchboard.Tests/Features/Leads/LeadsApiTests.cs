using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Leads;

public sealed class LeadsApiTests(SwitchboardHostWithTenant host) : IClassFixture<SwitchboardHostWithTenant>
{
    [Fact]
    public async Task Created_lead_is_returned_with_an_E164_phone_and_a_location()
    {
        var manager = await host.As("manager");

        var response = await manager.PostAsJsonAsync("/api/v1/leads", new { firstName = "Ada", lastName = "Lovelace", phone = "(415) 555-0142", status = "new" });

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var lead = await response.Content.ReadFromJsonAsync<JsonElement>();
        lead.GetProperty("phone").GetString().ShouldBe("+14155550142");
        response.Headers.Location!.ToString().ShouldBe($"/api/v1/leads/{lead.GetProperty("id").GetGuid()}");
    }
}
