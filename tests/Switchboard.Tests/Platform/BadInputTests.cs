using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Switchboard.Testing;

namespace Switchboard.Tests.Platform;

/// <summary>What the API answers to input it cannot use: always a problem response naming the field, never a 500 or a stack trace.</summary>
public sealed class BadInputTests(SwitchboardHost host) : IClassFixture<SwitchboardHost>, IAsyncLifetime
{
    private TestTenant _tenant = null!;
    private HttpClient _manager = null!;

    public async Task InitializeAsync()
    {
        _tenant = await host.CreateTenantAsync("bad-" + Guid.NewGuid().ToString("N")[..6]);
        _manager = await host.LoginAsync(_tenant.Email("manager"));
    }

    public Task DisposeAsync()
    {
        _manager.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Malformed_json_is_a_400_problem()
    {
        var response = await _manager.PostAsync("/api/v1/leads", Json("{\"lastName\": \"Lovelace\""));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }

    [Theory]
    [InlineData("/api/v1/leads?search=a%00b")]
    [InlineData("/api/v1/search?q=a%00b")]
    [InlineData("/api/v1/accounts?q=a%00b")]
    public async Task A_NUL_character_in_a_query_is_a_400_not_a_server_error(string path)
    {
        var response = await _manager.GetAsync(path);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_NUL_character_in_a_body_is_a_400_not_a_server_error()
    {
        var response = await _manager.PostAsJsonAsync("/api/v1/leads", new { lastName = "Nul\u0000Byte" });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_body_over_one_megabyte_is_413()
    {
        var notes = new string('x', 1024 * 1024 + 1);

        var response = await _manager.PostAsJsonAsync("/api/v1/leads", new { lastName = "Big", notes });

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }

    [Fact]
    public async Task A_chunked_body_over_one_megabyte_without_a_content_length_is_413()
    {
        var bytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { lastName = "Big", notes = new string('x', 1024 * 1024 + 1) }));
        var content = new StreamContent(new UnknownLengthStream(bytes));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var response = await _manager.PostAsync("/api/v1/leads", content);

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task An_unknown_status_on_create_is_a_400_naming_status()
    {
        var response = await _manager.PostAsJsonAsync("/api/v1/leads", new { lastName = "Lovelace", status = "bogus" });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ErrorFieldsAsync(response)).ShouldContain("status");
    }

    [Fact]
    public async Task An_unknown_status_filter_on_the_list_is_a_400_naming_status()
    {
        var response = await _manager.GetAsync("/api/v1/leads?status=bogus");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ErrorFieldsAsync(response)).ShouldContain("status");
    }

    [Fact]
    public async Task A_string_escaping_an_unpaired_surrogate_is_a_400_naming_the_field()
    {
        var response = await _manager.PostAsync("/api/v1/leads", Json("{\"lastName\": \"Lovelace\", \"company\": \"\\udc00\"}"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ErrorFieldsAsync(response)).ShouldContain("company");
    }

    [Fact]
    public async Task A_number_where_a_string_belongs_is_a_400_naming_the_field()
    {
        var response = await _manager.PostAsJsonAsync("/api/v1/leads", new { lastName = "Lovelace", firstName = 5 });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ErrorFieldsAsync(response)).ShouldContain("firstName");
    }

    [Fact]
    public async Task A_malformed_uuid_is_a_400_naming_the_field()
    {
        var response = await _manager.PostAsJsonAsync("/api/v1/leads", new { lastName = "Lovelace", ownerId = "not-a-uuid" });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ErrorFieldsAsync(response)).ShouldContain("ownerId");
    }

    [Fact]
    public async Task An_unknown_field_is_a_400_naming_it()
    {
        var response = await _manager.PostAsJsonAsync("/api/v1/leads", new { lastName = "Lovelace", favouriteColour = "teal" });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ErrorFieldsAsync(response)).ShouldContain("favouriteColour");
    }

    [Fact]
    public async Task An_unknown_field_in_a_patch_is_a_400_naming_it()
    {
        var lead = await CreateLeadAsync();

        var response = await _manager.PatchAsJsonAsync($"/api/v1/leads/{lead.Id}", new { favouriteColour = "teal" });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ErrorFieldsAsync(response)).ShouldContain("favouriteColour");
    }

    [Fact]
    public async Task A_non_numeric_page_is_a_400_not_a_500()
    {
        var response = await _manager.GetAsync("/api/v1/leads?page=abc");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }

    [Fact]
    public async Task A_page_size_above_the_maximum_is_a_400_naming_pageSize()
    {
        var response = await _manager.GetAsync("/api/v1/leads?pageSize=500");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ErrorFieldsAsync(response)).ShouldContain("pageSize");
    }

    [Theory]
    [InlineData("/api/v1/leads?page=2147483647")]
    [InlineData("/api/v1/leads?page=99999999&pageSize=200")]
    [InlineData("/api/v1/users?page=2147483647")]
    [InlineData("/api/v1/audit?page=2147483647")]
    public async Task A_page_too_far_to_count_to_is_a_400_naming_page(string path)
    {
        using var admin = await host.LoginAsync(_tenant.Email("admin"));

        var response = await admin.GetAsync(path);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ErrorFieldsAsync(response)).ShouldContain("page");
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_415()
    {
        var response = await _manager.PostAsync("/api/v1/leads", new StringContent("lastName=Lovelace", Encoding.UTF8, "text/plain"));

        response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task A_failed_create_writes_nothing()
    {
        var before = await LeadCountAsync();

        var response = await _manager.PostAsJsonAsync("/api/v1/leads", new { firstName = "Ada", lastName = "Lovelace", status = "bogus" });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await LeadCountAsync()).ShouldBe(before);
    }

    public static TheoryData<string, string, string?> BadRequests => new()
    {
        { "POST", "/api/v1/leads", "{\"lastName\": " },
        { "POST", "/api/v1/leads", "" },
        { "POST", "/api/v1/leads", "[1, 2]" },
        { "POST", "/api/v1/leads", "null" },
        { "POST", "/api/v1/leads", "{\"lastName\": \"\\udc00\"}" },
        { "POST", "/api/v1/leads", "{\"lastName\": \"Lovelace\", \"firstName\": 5}" },
        { "POST", "/api/v1/leads", "{\"lastName\": \"Lovelace\", \"ownerId\": \"not-a-uuid\"}" },
        { "POST", "/api/v1/auth/login", "{\"email\": 5, \"password\": \"x\"}" },
        { "POST", "/api/v1/auth/login", "{\"email\": \"\\udc00\", \"password\": \"x\"}" },
        { "POST", "/api/v1/auth/refresh", "{\"refreshToken\": \"\\udc00\"}" },
        { "POST", "/api/v1/auth/refresh", "{\"refreshToken\": [1]}" },
        { "POST", "/api/v1/auth/switch-tenant", "{\"tenantId\": \"not-a-uuid\"}" },
        { "GET", "/api/v1/leads?page=abc", null },
        { "GET", "/api/v1/leads?ownerId=not-a-uuid", null },
        { "GET", "/api/v1/audit?pageSize=abc", null },
        { "GET", "/api/v1/leads/0198c2a4-0000-7000-8000-000000000001", null },
        { "GET", "/api/v1/leads/not-a-guid", null },
        { "GET", "/api/v1/no-such-route", null },
        { "PUT", "/api/v1/leads", "{}" },
        { "DELETE", "/api/v1/leads", null },
        { "PATCH", "/api/v1/tenants/0198c2a4-0000-7000-8000-000000000002", "{\"isActive\": false}" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Error_responses_never_show_a_stack_trace(string method, string path, string? body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null) request.Content = Json(body);

        var response = await _manager.SendAsync(request);

        ((int)response.StatusCode).ShouldBeInRange(400, 499);
        var text = await response.Content.ReadAsStringAsync();
        text.ShouldNotContain("   at ");
        text.ShouldNotContain("Exception");
    }

    [Fact]
    public async Task An_unsupported_method_on_an_api_route_is_405()
    {
        var response = await _manager.PutAsync("/api/v1/leads", Json("{}"));

        response.StatusCode.ShouldBe(HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task Get_returns_the_version_as_an_ETag()
    {
        var lead = await CreateLeadAsync();

        var response = await _manager.GetAsync($"/api/v1/leads/{lead.Id}");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.ETag!.Tag.ShouldBe($"\"{lead.Version}\"");
    }

    [Fact]
    public async Task A_patch_naming_a_stale_version_is_a_409()
    {
        var lead = await CreateLeadAsync();
        (await _manager.PatchAsJsonAsync($"/api/v1/leads/{lead.Id}", new { notes = "first edit" })).EnsureSuccessStatusCode();

        var response = await _manager.PatchAsJsonAsync($"/api/v1/leads/{lead.Id}", new { notes = "second edit", version = lead.Version });

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_patch_with_an_old_ETag_in_If_Match_is_a_412()
    {
        var lead = await CreateLeadAsync();
        (await _manager.PatchAsJsonAsync($"/api/v1/leads/{lead.Id}", new { notes = "first edit" })).EnsureSuccessStatusCode();

        var response = await PatchWithIfMatchAsync(lead.Id, $"\"{lead.Version}\"", new { notes = "second edit" });

        response.StatusCode.ShouldBe(HttpStatusCode.PreconditionFailed);
    }

    [Fact]
    public async Task A_patch_with_the_current_ETag_succeeds_and_bumps_the_version()
    {
        var lead = await CreateLeadAsync();
        var current = await _manager.GetAsync($"/api/v1/leads/{lead.Id}");

        var response = await PatchWithIfMatchAsync(lead.Id, current.Headers.ETag!.Tag, new { notes = "an edit" });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var updated = await response.Content.ReadFromJsonAsync<JsonElement>();
        updated.GetProperty("version").GetInt32().ShouldBe(lead.Version + 1);
        updated.GetProperty("notes").GetString().ShouldBe("an edit");
    }

    [Fact]
    public async Task A_rejected_stale_patch_leaves_the_lead_unchanged()
    {
        var lead = await CreateLeadAsync();
        (await _manager.PatchAsJsonAsync($"/api/v1/leads/{lead.Id}", new { notes = "first edit" })).EnsureSuccessStatusCode();
        await PatchWithIfMatchAsync(lead.Id, $"\"{lead.Version}\"", new { notes = "stale edit" });

        var stored = await _manager.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{lead.Id}");

        stored.GetProperty("notes").GetString().ShouldBe("first edit");
        stored.GetProperty("version").GetInt32().ShouldBe(lead.Version + 1);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private async Task<LeadRef> CreateLeadAsync()
    {
        var response = await _manager.PostAsJsonAsync("/api/v1/leads", new { firstName = "Ada", lastName = "Lovelace" });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<LeadRef>())!;
    }

    private async Task<HttpResponseMessage> PatchWithIfMatchAsync(Guid id, string etag, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/leads/{id}") { Content = JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("If-Match", etag);
        return await _manager.SendAsync(request);
    }

    private async Task<int> LeadCountAsync() =>
        (await _manager.GetFromJsonAsync<JsonElement>("/api/v1/leads?pageSize=1")).GetProperty("total").GetInt32();

    private static async Task<IReadOnlyCollection<string>> ErrorFieldsAsync(HttpResponseMessage response)
    {
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        return problem.TryGetProperty("errors", out var errors)
            ? errors.EnumerateObject().Select(p => p.Name).ToList()
            : [];
    }

    private sealed record LeadRef(Guid Id, int Version);

    /// <summary>A readable stream that hides its length, so HttpClient sends it chunked with no Content-Length.</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
