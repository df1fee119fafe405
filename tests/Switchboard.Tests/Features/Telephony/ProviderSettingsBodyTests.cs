using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Telephony;

/// <summary>
/// The provider settings body: one record whose provider members are read against the route's provider schema, so a
/// member another provider declares, a secret that is not text and a wrong-typed "active" are named in one 400.
/// </summary>
public sealed class ProviderSettingsBodyTests(SwitchboardHostWithTenant host) : IClassFixture<SwitchboardHostWithTenant>
{
    private static async Task<JsonElement> ErrorsAsync(HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
    }

    [Fact]
    public async Task A_member_the_provider_does_not_declare_and_values_of_the_wrong_type_are_named_together()
    {
        var admin = await host.As("admin");

        var errors = await ErrorsAsync(await admin.PutAsJsonAsync("/api/v1/telephony/providers/twilio",
            new { accountSid = "AC1", spaceUrl = "https://example.signalwire.com", authToken = 5, active = "yes" }));

        errors.GetProperty("spaceUrl")[0].GetString().ShouldBe("'spaceUrl' is not a known field.");
        errors.GetProperty("authToken")[0].GetString().ShouldBe("'authToken' must be a string.");
        errors.GetProperty("active")[0].GetString().ShouldBe("'active' must be true or false.");
        errors.TryGetProperty("accountSid", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task A_setting_is_checked_by_the_kind_its_provider_declares()
    {
        var admin = await host.As("admin");

        var errors = await ErrorsAsync(await admin.PutAsJsonAsync("/api/v1/telephony/providers/twilio", new { apiBaseUrl = "not a url" }));

        errors.GetProperty("apiBaseUrl")[0].GetString().ShouldBe("'not a url' is not an absolute http(s) URL.");
    }

    [Fact]
    public async Task Settings_sent_are_stored_and_a_null_secret_removes_it()
    {
        var admin = await host.As("admin");
        (await admin.PutAsJsonAsync("/api/v1/telephony/providers/twilio", new { accountSid = "AC1", authToken = "token" })).EnsureSuccessStatusCode();

        var response = await admin.PutAsJsonAsync("/api/v1/telephony/providers/twilio", new { callerId = "(212) 555-0100", authToken = (string?)null });

        response.EnsureSuccessStatusCode();
        var view = await response.Content.ReadFromJsonAsync<JsonElement>();
        view.GetProperty("settings").GetProperty("accountSid").GetString().ShouldBe("AC1");
        view.GetProperty("settings").GetProperty("callerId").GetString().ShouldBe("+12125550100");
        view.GetProperty("secrets").GetProperty("authToken").GetString().ShouldBe("not set");
    }
}
