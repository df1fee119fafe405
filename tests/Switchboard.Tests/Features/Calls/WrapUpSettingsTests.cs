using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Calls;

/// <summary>The tenant's wrap-up maximum: calling settings wrapUpMaxSeconds, 10–3600 seconds, 120 by default.</summary>
public sealed class WrapUpSettingsTests(CallingHost host) : IClassFixture<CallingHost>
{
    [Theory]
    [InlineData(9)]
    [InlineData(3601)]
    public async Task The_wrap_up_maximum_outside_10_to_3600_seconds_is_refused_with_the_fields_message(int seconds)
    {
        var admin = await host.As("admin");

        var response = await admin.PatchAsJsonAsync("/api/v1/calling/settings", new { wrapUpMaxSeconds = seconds });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        errors.GetProperty("wrapUpMaxSeconds")[0].GetString().ShouldBe("Longest wrap-up after a call must be between 10 and 3600 seconds.");
    }

    [Fact]
    public async Task Maximum_attempts_out_of_range_is_named_as_the_calling_rules_form_labels_it()
    {
        var response = await (await host.As("admin")).PatchAsJsonAsync("/api/v1/calling/settings", new { maxAttemptsPerDay = 0 });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("maxAttemptsPerDay")[0].GetString()
            .ShouldBe("Maximum attempts per lead per day must be between 1 and 100.");
    }

    [Fact]
    public async Task The_wrap_up_maximum_is_two_minutes_until_an_admin_changes_it_and_a_wrong_type_is_named()
    {
        using var fresh = await host.LoginAsync((await host.CreateTenantAsync("wrapup")).Email("admin"));
        (await fresh.GetFromJsonAsync<JsonElement>("/api/v1/calling/settings")).GetProperty("wrapUpMaxSeconds").GetInt32().ShouldBe(120);

        var wrongType = await fresh.PatchAsJsonAsync("/api/v1/calling/settings", new { wrapUpMaxSeconds = "two minutes" });
        wrongType.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await wrongType.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("wrapUpMaxSeconds", out _).ShouldBeTrue();

        (await fresh.PatchAsJsonAsync("/api/v1/calling/settings", new { wrapUpMaxSeconds = 45 })).EnsureSuccessStatusCode();
        (await fresh.GetFromJsonAsync<JsonElement>("/api/v1/calling/settings")).GetProperty("wrapUpMaxSeconds").GetInt32().ShouldBe(45);
    }
}
