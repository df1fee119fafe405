using System.Net;
using System.Net.Http.Json;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Auth;

public sealed class RateLimitedHost : SwitchboardHost
{
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["Security:SignInAttemptsPerMinute"] = "3" };
}

public sealed class SignInRateLimitTests(RateLimitedHost host) : IClassFixture<RateLimitedHost>
{
    [Fact]
    public async Task Sign_in_attempts_beyond_the_limit_from_one_address_get_429_with_retry_after()
    {
        using var client = host.CreateClient();
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage last = null!;
        for (var i = 0; i < 4; i++)
        {
            last = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = $"nobody{i}@nowhere.test", password = "wrong-password" });
            statuses.Add(last.StatusCode);
        }

        statuses.ShouldBe([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests]);
        last.Headers.RetryAfter.ShouldNotBeNull();
        last.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }
}
