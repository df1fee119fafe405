using System.Net;
using Switchboard.Testing;

namespace Switchboard.Tests.Platform;

/// <summary>
/// Requests Kestrel refuses before any of the app runs (issue 12 §0.4): their answers cannot carry a problem body
/// (the server's bad-request responses are not customisable), so docs/API.md documents them. This keeps that table true.
/// </summary>
public sealed class ServerRefusalTests(SwitchboardHost host) : IClassFixture<SwitchboardHost>
{
    [Theory]
    [InlineData("/api/v1/leads/%00", HttpStatusCode.BadRequest)]
    [InlineData("/leads/%00", HttpStatusCode.BadRequest)]
    public async Task A_nul_in_the_path_is_a_400_from_the_server_without_a_body(string path, HttpStatusCode status)
    {
        using var client = host.CreateClient();

        var response = await client.GetAsync(path);

        response.StatusCode.ShouldBe(status);
        (await response.Content.ReadAsByteArrayAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_request_line_over_8_kb_is_a_414_and_just_under_it_reaches_the_app()
    {
        using var client = host.CreateClient();

        var tooLong = await client.GetAsync("/api/v1/leads?search=" + new string('a', 8200));
        var fits = await client.GetAsync("/api/v1/leads?search=" + new string('a', 8000));

        tooLong.StatusCode.ShouldBe(HttpStatusCode.RequestUriTooLong);
        (await tooLong.Content.ReadAsByteArrayAsync()).ShouldBeEmpty();
        fits.StatusCode.ShouldBe(HttpStatusCode.Unauthorized); // the app answered: no token
        fits.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }

    [Fact]
    public async Task Headers_over_32_kb_are_a_431()
    {
        using var client = host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/leads");
        request.Headers.TryAddWithoutValidation("X-Padding", new string('a', 33 * 1024));

        var response = await client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.RequestHeaderFieldsTooLarge);
    }
}
