using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Features.Auth;
using Switchboard.Platform.Database;
using Switchboard.Platform.Jobs;
using Switchboard.Testing;
using static Switchboard.Tests.Features.Auth.AccountSupport;

namespace Switchboard.Tests.Features.Auth;

/// <summary>
/// "Forgot password" costs the same whatever the address (issue 12 §2, ADR 0039): the request only queues a job with the
/// address as typed, and the account is looked up by that job. With no worker running in this host, what a request left
/// behind can be read before any job touches it, and the job can then be run by hand.
/// </summary>
public sealed class ForgotPasswordRequestTests(ForgotPasswordRequestTests.NoWorkerHost host) : IClassFixture<ForgotPasswordRequestTests.NoWorkerHost>
{
    public sealed class NoWorkerHost : SwitchboardHostWithTenant
    {
        protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["Jobs:Enabled"] = "false" };
    }

    [Fact]
    public async Task Known_unknown_and_inactive_addresses_leave_the_same_trace_a_job_with_the_address_and_nothing_else()
    {
        var known = await NewAccountAsync(host);
        var inactive = await NewAccountAsync(host);
        await ScalarAsync(host, "update users set is_active = false where id = $1", inactive.Id);
        var addresses = new[] { known.Email, $"nobody-{Guid.NewGuid():N}@example.test", inactive.Email };

        var answers = new List<HttpStatusCode>();
        using var anonymous = host.CreateClient();
        foreach (var email in addresses) answers.Add((await anonymous.PostAsJsonAsync("/api/v1/auth/forgot-password", new { email })).StatusCode);

        answers.ShouldAllBe(status => status == HttpStatusCode.Accepted);
        var payloads = await PayloadsAsync(addresses);
        payloads.Select(p => p.GetProperty("email").GetString()).ShouldBe(addresses, ignoreOrder: true);
        payloads.Select(p => string.Join(",", p.EnumerateObject().Select(o => o.Name).Order())).Distinct().ShouldBe(["email,ip,userAgent"], string.Join(" | ", payloads));
        (await ScalarAsync(host, "select count(*) from account_tokens where user_id = any($1)", (object)new[] { known.Id, inactive.Id })).ShouldBe(0L);
        (await ScalarAsync(host, "select count(*) from outbound_emails where to_address = any($1)", (object)addresses)).ShouldBe(0L);
        (await ScalarAsync(host, "select count(*) from audit_log where action like 'user.password-reset%' and changes->>'email' = any($1)", (object)addresses)).ShouldBe(0L);
    }

    [Fact]
    public async Task The_job_queues_one_link_for_an_active_account_however_often_it_runs_and_nothing_for_an_unknown_address()
    {
        var known = await NewAccountAsync(host);
        var unknown = $"nobody-{Guid.NewGuid():N}@example.test";
        using var anonymous = host.CreateClient();
        foreach (var email in new[] { known.Email, unknown }) await anonymous.PostAsJsonAsync("/api/v1/auth/forgot-password", new { email });

        foreach (var email in new[] { known.Email, known.Email, unknown }) await RunJobAsync(email);

        (await ScalarAsync(host, "select count(*) from account_tokens where user_id = $1", known.Id)).ShouldBe(1L);
        (await ScalarAsync(host, "select count(*) from outbound_emails where to_address = $1 and template = 'password-reset'", known.Email)).ShouldBe(1L);
        (await ScalarAsync(host, "select count(*) from outbound_emails where to_address = $1", unknown)).ShouldBe(0L);
        (await ScalarAsync(host, "select changes->>'outcome' from audit_log where action = 'user.password-reset-requested' and changes->>'email' = $1", unknown))
            .ShouldBe("unknown-email");
    }

    private async Task<List<JsonElement>> PayloadsAsync(string[] addresses)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var jobs = await scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>().Jobs.AsNoTracking()
            .Where(j => j.Kind == ForgotPasswordJob.JobKind).ToListAsync();
        return jobs.Select(j => j.Payload.RootElement.Clone()).Where(p => addresses.Contains(p.GetProperty("email").GetString())).ToList();
    }

    private async Task RunJobAsync(string email)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var job = (await scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>().Jobs.AsNoTracking()
            .Where(j => j.Kind == ForgotPasswordJob.JobKind).ToListAsync()).Single(j => j.Read<ForgotPasswordJob.Payload>().Email == email);
        await scope.ServiceProvider.GetRequiredService<ForgotPasswordJob>().HandleAsync(job, default);
    }
}

/// <summary>"Forgot password" is limited per client address like sign-in: it sends email, so it must not be a free mail cannon.</summary>
public sealed class ForgotPasswordRateLimitTests(RateLimitedHost host) : IClassFixture<RateLimitedHost>
{
    [Fact]
    public async Task Requests_beyond_the_sign_in_limit_from_one_address_get_429()
    {
        using var client = host.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
            statuses.Add((await client.PostAsJsonAsync("/api/v1/auth/forgot-password", new { email = $"nobody{i}@nowhere.test" })).StatusCode);

        statuses.ShouldBe([HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.TooManyRequests]);
    }
}
