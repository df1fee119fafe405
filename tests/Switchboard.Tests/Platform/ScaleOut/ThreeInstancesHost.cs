using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Switchboard.Platform.Jobs;
using Switchboard.Testing;

namespace Switchboard.Tests.Platform.ScaleOut;

/// <summary>
/// The classes of this collection share one set of three instances and one nginx, and run one after the other: six
/// app instances and two proxies at once would only add load to a two-core machine, and the rate-limit test counts on
/// its requests being the only ones.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ThreeInstancesCollection : ICollectionFixture<ThreeInstancesHost>
{
    public const string Name = "Three instances behind nginx";
}

/// <summary>
/// Three app instances (a, b, c) on one database behind <see cref="TestNginx"/> (ADR 0068). The fixture's own app
/// migrates the database and creates the tenant; its background workers (jobs, webhooks, sequence steps) are off, so
/// only the three do background work. The outbound email sender is off everywhere: nothing here reaches an SMTP server,
/// and the tests count what was queued, once.
/// </summary>
public sealed class ThreeInstancesHost : SwitchboardHostWithTenant
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly ConcurrentQueue<JobRun> _runs = new();

    public IReadOnlyList<SecondInstance> Instances { get; private set; } = [];
    public TestNginx Nginx { get; private set; } = null!;
    public IReadOnlyList<JobRun> Runs => _runs.ToList();

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Jobs:Enabled"] = "false",
        ["Webhooks:Enabled"] = "false",
        ["Sequences:SchedulerEnabled"] = "false",
        ["Outreach:Enabled"] = "false",
    };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var instances = new List<SecondInstance>();
        foreach (var name in new[] { "a", "b", "c" })
        {
            var port = Loopback.FreePort();
            instances.Add(await SecondInstance.StartAsync(Database, new Dictionary<string, string?>
            {
                ["urls"] = $"http://127.0.0.1:{port}",
                // Short polls so the three compete for the same work within the test's window.
                ["Jobs:PollSeconds"] = "0.2",
                ["Webhooks:PollSeconds"] = "0.1",
                ["Sequences:PollSeconds"] = "0.1",
                ["Outreach:Enabled"] = "false",
                ["Logging:LogLevel:Switchboard.Platform.Jobs"] = "None",
            }, services =>
            {
                services.AddSingleton(_runs);
                services.AddSingleton(new InstanceName(name));
                services.AddJobHandler<CountingHandler>();
            }));
        }
        Instances = instances;
        Nginx = await TestNginx.StartAsync(instances.Select(i => i.BaseAddress.Port).ToList());
    }

    public override async Task DisposeAsync()
    {
        if (Nginx is not null) await Nginx.DisposeAsync();
        foreach (var instance in Instances) await instance.DisposeAsync();
        await base.DisposeAsync();
    }

    public async Task<string> TokenAsync(string email)
    {
        using var client = await LoginAsync(email);
        return client.DefaultRequestHeaders.Authorization!.Parameter!;
    }

    /// <summary>A client of nginx signed in (bearer) as <paramref name="email"/>: its requests spread over the three.</summary>
    public async Task<HttpClient> ThroughNginxAsync(string email)
    {
        var nginx = Nginx.CreateClient();
        var login = await nginx.PostAsJsonAsync("/api/v1/auth/login", new { email, password = Password });
        login.EnsureSuccessStatusCode();
        nginx.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await login.Content.ReadFromJsonAsync<Tokens>())!.AccessToken);
        return nginx;
    }

    public async Task<long> CountAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(Database.SuperuserConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    public sealed record JobRun(string Key, string Instance);

    /// <summary>Records each run with the instance that ran it (the three share this test process, so one list).</summary>
    public sealed class CountingHandler(ConcurrentQueue<JobRun> runs, InstanceName instance) : IJobHandler
    {
        public const string JobKind = "test.scale-out";

        public sealed record Payload(string Key);

        public string Kind => JobKind;

        public async Task HandleAsync(Job job, CancellationToken ct)
        {
            await Task.Delay(5, ct); // widen the window in which two workers could collide
            runs.Enqueue(new JobRun(job.Read<Payload>().Key, instance.Name));
        }
    }

    public sealed record InstanceName(string Name);
}
