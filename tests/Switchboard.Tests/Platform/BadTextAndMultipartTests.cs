using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Switchboard.Testing;

namespace Switchboard.Tests.Platform;

/// <summary>
/// Input the security probe (issue 12 §0.3) turned into 500s: text that is not text (an unpaired surrogate, escaped
/// or as the raw bytes ED A0 80) in provider settings, custom values and calling hours, and broken multipart bodies
/// on the two upload endpoints. Each is a 400 problem naming the field, like the same input elsewhere.
/// </summary>
public sealed class BadTextAndMultipartTests(SwitchboardHostWithTenant host) : IClassFixture<SwitchboardHostWithTenant>
{
    /// <summary>Two spellings of the same non-text: the JSON escape of a lone high surrogate, and its UTF-8-like bytes.</summary>
    public static TheoryData<string, string, string, string, bool> Cases()
    {
        var data = new TheoryData<string, string, string, string, bool>();
        foreach (var raw in new[] { false, true })
        {
            data.Add("PUT", "/api/v1/telephony/providers/simulator", """{"callerId": BAD}""", "callerId", raw);
            data.Add("PUT", "/api/v1/telephony/providers/simulator", """{"ringSeconds": BAD}""", "ringSeconds", raw);
            data.Add("PUT", "/api/v1/telephony/providers/twilio", """{"authToken": BAD}""", "authToken", raw);
            data.Add("POST", "/api/v1/leads", """{"lastName": "Lovelace", "custom": {"nickname": BAD}}""", "custom", raw);
            data.Add("PATCH", "/api/v1/calling/settings", """{"callingHours": {"monday": {"start": BAD, "end": "17:00"}}}""", "callingHours", raw);
            data.Add("PATCH", "/api/v1/calling/settings", """{"callingHours": {"monday": BAD}}""", "callingHours", raw);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_string_that_is_not_text_is_a_400_naming_the_field(string method, string path, string template, string field, bool rawBytes)
    {
        var admin = await host.As("admin");
        await EnsureNicknameFieldAsync(admin);
        var parts = template.Split("BAD");
        var body = new List<byte>(Encoding.UTF8.GetBytes(parts[0] + "\""));
        body.AddRange(rawBytes ? [0xED, 0xA0, 0x80] : Encoding.ASCII.GetBytes("\\ud800"));
        body.AddRange(Encoding.UTF8.GetBytes("\"" + parts[1]));
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new ByteArrayContent([.. body]) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };

        var response = await admin.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        errors.EnumerateObject().Select(e => e.Name).ShouldContain(name => name.StartsWith(field, StringComparison.Ordinal));
    }

    public static TheoryData<string, string, string> BrokenMultiparts() => new()
    {
        { "/api/v1/imports", "multipart/form-data", "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\nemail\r\n--b--\r\n" },
        { "/api/v1/imports", "multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\nemail\nx@exa" },
        { "/api/v1/imports", "multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-da" },
        { "/api/v1/users/import", "multipart/form-data", "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"u.csv\"\r\n\r\nemail\r\n--b--\r\n" },
        { "/api/v1/users/import", "multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"u.csv\"\r\n\r\nemail,role\nx@exa" },
        { "/api/v1/dnc/import", "multipart/form-data", "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"d.csv\"\r\n\r\nphone\r\n--b--\r\n" },
        { "/api/v1/dnc/import", "multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"d.csv\"\r\n\r\nphone\n+1212" },
    };

    [Theory]
    [MemberData(nameof(BrokenMultiparts))]
    public async Task A_multipart_body_without_a_boundary_or_cut_short_is_a_400_problem(string path, string contentType, string body)
    {
        var admin = await host.As("admin");
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        var response = await admin.PostAsync(path, content);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("errors").GetProperty("file")[0].GetString().ShouldNotBeNullOrWhiteSpace();
    }

    private static async Task EnsureNicknameFieldAsync(HttpClient admin)
    {
        var created = await admin.PostAsJsonAsync("/api/v1/custom-fields", new { entity = "lead", key = "nickname", label = "Nickname", type = "text" });
        if (created.StatusCode != HttpStatusCode.Created) (await admin.GetStringAsync("/api/v1/custom-fields?entity=lead")).ShouldContain("nickname");
    }
}
