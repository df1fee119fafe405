using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Switchboard.Features.Contacts;
using Switchboard.Features.Leads;
using Switchboard.Platform.Web;
using Switchboard.Testing;

namespace Switchboard.Tests.Platform;

/// <summary>
/// Typed request bodies: a merge patch knows absent from null, every problem of a body is reported at once under the
/// member's name, and bodies that are not objects are a 400 naming the body. The reader alone, then through the API.
/// </summary>
public sealed class RequestBodyTests(SwitchboardHost host) : IClassFixture<SwitchboardHost>, IAsyncLifetime
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
    private HttpClient _manager = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        var tenant = await host.CreateTenantAsync("body-" + Guid.NewGuid().ToString("N")[..6]);
        _manager = await host.LoginAsync(tenant.Email("manager"));
        _admin = await host.LoginAsync(tenant.Email("admin"));
    }

    public Task DisposeAsync()
    {
        _manager.Dispose();
        _admin.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public void Absent_null_and_a_value_are_three_different_things()
    {
        var body = JsonSerializer.Deserialize<LeadWrite>("""{"company": null, "title": "  CTO  "}""", Web)!;

        body.FirstName.IsSet.ShouldBeFalse();
        body.Company.ShouldBe(Optional.Of<string?>(null));
        body.Title.Value.ShouldBe("CTO");
        body.BindingErrors().IsValid.ShouldBeTrue();
    }

    [Fact]
    public void Blank_text_reads_as_null_in_a_body_as_in_a_form()
    {
        var body = JsonSerializer.Deserialize<LeadWrite>("""{"company": "   "}""", Web)!;

        body.Company.ShouldBe(Optional.Text("   "));
        body.Company.Value.ShouldBeNull();
    }

    [Fact]
    public void A_blank_date_clears_it_and_a_malformed_one_is_named()
    {
        var cleared = JsonSerializer.Deserialize<Switchboard.Features.Opportunities.OpportunityWrite>("""{"expectedClose": " "}""", Web)!;
        var malformed = JsonSerializer.Deserialize<Switchboard.Features.Opportunities.OpportunityWrite>("""{"expectedClose": "31/12/2026"}""", Web)!;

        cleared.ExpectedClose.ShouldBe(Optional.Of<DateOnly?>(null));
        malformed.BindingErrors().ToDictionary()["expectedClose"].ShouldBe(["'expectedClose' must be a date written YYYY-MM-DD."]);
    }

    [Fact]
    public void Every_problem_of_a_body_is_reported_under_its_member_name()
    {
        var body = JsonSerializer.Deserialize<LeadWrite>(
            """{"firstName": 5, "ownerId": "not-a-uuid", "doNotCall": "yes", "version": 1.5, "favouriteColour": "teal", "company": "\udc00"}""", Web)!;

        var errors = body.BindingErrors().ToDictionary();

        errors.Keys.ShouldBe(["favouriteColour", "firstName", "ownerId", "doNotCall", "version", "company"], ignoreOrder: true);
        errors["firstName"].ShouldBe(["'firstName' must be a string."]);
        errors["ownerId"].ShouldBe(["'ownerId' must be a UUID."]);
        errors["version"].ShouldBe(["'version' must be a whole number."]);
        errors["favouriteColour"].ShouldBe(["'favouriteColour' is not a known field."]);
        errors["company"].ShouldBe(["'company' is not valid text."]);
        body.FirstName.IsSet.ShouldBeFalse();
    }

    [Fact]
    public void A_nested_part_reports_its_problems_by_path()
    {
        var body = JsonSerializer.Deserialize<LeadConversionWrite>(
            """{"contact": {"emails": "ada@example.com", "shoeSize": 9}, "account": {"id": 7}}""", Web)!;

        var errors = body.BindingErrors().ToDictionary();

        errors.Keys.ShouldBe(["contact.emails", "contact.shoeSize", "account.id"], ignoreOrder: true);
        errors["contact.emails"].ShouldBe(["'emails' must be an array of strings."]);
    }

    [Theory]
    [InlineData("""{"emails": ["a@example.com", null]}""")]
    [InlineData("""{"emails": ["a@example.com", 5]}""")]
    public void A_list_of_strings_with_anything_else_in_it_is_named(string json)
    {
        var body = JsonSerializer.Deserialize<ContactWrite>(json, Web)!;

        body.Emails.IsSet.ShouldBeFalse();
        body.BindingErrors().ToDictionary()["emails"].ShouldBe(["'emails' must be an array of strings."]);
    }

    [Fact]
    public void A_list_member_reads_as_a_list()
    {
        var body = JsonSerializer.Deserialize<ContactWrite>("""{"emails": ["a@example.com", "b@example.com"], "phones": null}""", Web)!;

        body.Emails.Value.ShouldBe(["a@example.com", "b@example.com"]);
        body.Phones.ShouldBe(Optional.Of<IReadOnlyList<string>?>(null));
    }

    [Fact]
    public async Task The_api_answers_one_400_listing_every_problem_and_writes_nothing()
    {
        var response = await _manager.PostAsync("/api/v1/leads",
            Json("""{"lastName": "Lovelace", "firstName": 5, "favouriteColour": "teal", "ownerId": "x", "status": "bogus"}"""));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ErrorFieldsAsync(response)).ShouldBe(["favouriteColour", "firstName", "ownerId", "status"], ignoreOrder: true);
    }

    [Theory]
    [InlineData("/api/v1/activities", """{"subject": "Call", "dueAt": 5, "colour": "teal", "assigneeId": "x", "priority": "urgent"}""", "assigneeId,colour,dueAt,priority")]
    [InlineData("/api/v1/notes", """{"body": 5, "relatedType": "lead", "relatedId": "x", "mood": 1}""", "body,mood,relatedId")]
    [InlineData("/api/v1/views", """{"entity": "lead", "name": "x", "pinned": true, "definition": {"filters": [{"field": "status", "op": "eq", "hue": 1}]}}""", "definition,pinned")]
    [InlineData("/api/v1/custom-fields", """{"entity": "lead", "key": "score", "label": "Score", "type": "text", "options": [1], "hue": 1}""", "hue,options")]
    [InlineData("/api/v1/calls", """{"leadId": "x", "priority": 1}""", "leadId,priority")]
    [InlineData("/api/v1/dnc", """{"phone": 5, "note": "asked twice"}""", "note,phone")]
    [InlineData("PUT /api/v1/presence/me", """{"state": "away", "mood": "fine"}""", "mood")]
    [InlineData("PUT /api/v1/presence/me", """{"state": 1}""", "state")]
    public async Task Every_feature_body_answers_one_400_listing_every_problem(string path, string json, string fields)
    {
        var response = path.StartsWith("PUT ", StringComparison.Ordinal)
            ? await _admin.PutAsync(path[4..], Json(json))
            : await _admin.PostAsync(path, Json(json));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ErrorFieldsAsync(response)).ShouldBe(fields.Split(','), ignoreOrder: true);
    }

    [Fact]
    public async Task The_modules_patch_names_an_unknown_module_and_a_wrong_type()
    {
        var response = await _admin.PatchAsync("/api/v1/modules", Json("""{"products": "yes", "billing": true}"""));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ErrorFieldsAsync(response)).ShouldBe(["billing", "products"], ignoreOrder: true);
    }

    [Theory]
    [InlineData("[1, 2]")]
    [InlineData("\"Lovelace\"")]
    [InlineData("null")]
    public async Task A_body_that_is_not_an_object_is_a_400_naming_the_body(string json)
    {
        var response = await _manager.PostAsync("/api/v1/leads", Json(json));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ErrorFieldsAsync(response)).ShouldBe(["body"]);
    }

    [Theory]
    [InlineData("[1, 2]", "The request body must be a JSON object.")]
    [InlineData("{\"lastName\": ", "The request body is not valid JSON.")]
    [InlineData("", "The request body must be a JSON object.")]
    public async Task The_400_says_whether_the_body_is_not_json_or_not_an_object(string json, string message)
    {
        var response = await _manager.PostAsync("/api/v1/leads", Json(json));

        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("errors").GetProperty("body")[0].GetString().ShouldBe(message);
    }

    [Fact]
    public async Task A_merge_patch_clears_a_member_sent_as_null_and_keeps_the_absent_ones()
    {
        var created = await (await _manager.PostAsJsonAsync("/api/v1/leads", new { firstName = "Ada", lastName = "Lovelace", company = "Analytical" }))
            .Content.ReadFromJsonAsync<JsonElement>();

        var response = await _manager.PatchAsync($"/api/v1/leads/{created.GetProperty("id").GetGuid()}",
            new StringContent("""{"company": null}""", Encoding.UTF8, "application/merge-patch+json"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var patched = await response.Content.ReadFromJsonAsync<JsonElement>();
        patched.GetProperty("company").ValueKind.ShouldBe(JsonValueKind.Null);
        patched.GetProperty("firstName").GetString().ShouldBe("Ada");
    }

    [Fact]
    public async Task A_conversion_names_a_nested_problem_by_its_path()
    {
        var lead = await (await _manager.PostAsJsonAsync("/api/v1/leads", new { lastName = "Hopper" })).Content.ReadFromJsonAsync<JsonElement>();

        var response = await _manager.PostAsync($"/api/v1/leads/{lead.GetProperty("id").GetGuid()}/convert", Json("""{"contact": {"emails": 5}}"""));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ErrorFieldsAsync(response)).ShouldBe(["contact.emails"]);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<IReadOnlyCollection<string>> ErrorFieldsAsync(HttpResponseMessage response)
    {
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        return problem.TryGetProperty("errors", out var errors) ? errors.EnumerateObject().Select(p => p.Name).ToList() : [];
    }
}
