using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Platform.Identity;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Auth;

/// <summary>
/// Sign-in costs the same whatever the account's state (issue 12 §0.2): a locked account answered in ~15 ms and an
/// unknown address in ~133 ms, because the locked path skipped the password hash. What dominates the time is the
/// hashing work, so the test counts it instead of timing requests: every path computes exactly one password hash.
/// </summary>
public sealed class SignInCostTests(SignInCostTests.CountingHost host) : IClassFixture<SignInCostTests.CountingHost>
{
    /// <summary>The app with its password hasher wrapped in one that counts the hashes it computes.</summary>
    public sealed class CountingHost : SwitchboardHost
    {
        public HashCounter Hashes { get; } = new();

        protected override void ConfigureServices(IServiceCollection services) =>
            services.AddScoped<IPasswordHasher<AppUser>>(sp => new CountingHasher(ActivatorUtilities.CreateInstance<PasswordHasher<AppUser>>(sp), Hashes));
    }

    public sealed class HashCounter
    {
        private int _count;
        public int Count => Volatile.Read(ref _count);
        public void Add() => Interlocked.Increment(ref _count);
    }

    private sealed class CountingHasher(PasswordHasher<AppUser> inner, HashCounter counter) : IPasswordHasher<AppUser>
    {
        public string HashPassword(AppUser user, string password)
        {
            counter.Add();
            return inner.HashPassword(user, password);
        }

        public PasswordVerificationResult VerifyHashedPassword(AppUser user, string hashedPassword, string providedPassword)
        {
            counter.Add();
            return inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }

    private async Task<(HttpStatusCode Status, string Body, int Hashes)> SignInAsync(string email, string password)
    {
        using var anonymous = host.CreateClient();
        var before = host.Hashes.Count;
        var response = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email, password });
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), host.Hashes.Count - before);
    }

    [Fact]
    public async Task Unknown_wrong_locked_and_right_each_cost_one_password_hash_and_the_failures_answer_alike()
    {
        var tenant = await host.CreateTenantAsync("cost");
        var locked = tenant.Email("agent2");
        for (var i = 0; i < 5; i++) (await SignInAsync(locked, "Not-the-password-1")).Status.ShouldBe(HttpStatusCode.Unauthorized);

        var lockedOut = await SignInAsync(locked, SwitchboardHost.Password); // the right password: still refused while locked
        var unknown = await SignInAsync($"nobody@{tenant.Slug}.test", SwitchboardHost.Password);
        var wrong = await SignInAsync(tenant.Email("agent"), "Not-the-password-1");
        var right = await SignInAsync(tenant.Email("manager"), SwitchboardHost.Password);

        lockedOut.Status.ShouldBe(HttpStatusCode.Unauthorized);
        lockedOut.Body.ShouldBe(unknown.Body);
        wrong.Body.ShouldBe(unknown.Body);
        right.Status.ShouldBe(HttpStatusCode.OK);
        new[] { lockedOut.Hashes, unknown.Hashes, wrong.Hashes, right.Hashes }.ShouldAllBe(hashes => hashes == 1);
    }
}
