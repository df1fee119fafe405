using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Features.Lists;
using Switchboard.Testing;

namespace Switchboard.Tests.Records;

/// <summary>
/// The owned-record rows of the role matrix and the cross-tenant rule, once, for every entity a feature registers
/// (AddEntityList): registering a new record entity puts it under these tests, and they fail until it has a sample.
/// </summary>
public sealed class OwnedRecordMatrixTests(OwnedRecordMatrixTests.TwoTenants host) : IClassFixture<OwnedRecordMatrixTests.TwoTenants>
{
    /// <summary>How to create a minimal record of each registered entity, and one field any editor may change.</summary>
    private static readonly Dictionary<string, RecordSample> Samples = new()
    {
        ["lead"] = new("leads", name => new { lastName = name }, role => new { title = $"Edited by {role}" }),
        ["account"] = new("accounts", name => new { name }, role => new { industry = $"Edited by {role}" }),
        ["contact"] = new("contacts", name => new { lastName = name }, role => new { title = $"Edited by {role}" }),
        ["opportunity"] = new("opportunities", name => new { name }, role => new { name = $"Edited by {role}" }),
    };

    public static readonly TheoryData<string> Roles = new("superadmin", "admin", "manager", "agent", "readonly");

    [Fact]
    public void Every_registered_record_entity_has_a_sample_here() =>
        RegisteredEntities().Where(e => !Samples.ContainsKey(e)).ShouldBeEmpty("Add a sample for the new entity to OwnedRecordMatrixTests.Samples.");

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task Viewing_another_agents_record_follows_the_role_matrix(string role)
    {
        var client = await host.As(role);
        foreach (var (entity, sample) in RegisteredSamples())
        {
            var record = await CreateOwnedByAsync(sample, "agent2");

            var single = await client.GetAsync($"/api/v1/{sample.Collection}/{record}");
            var list = await client.GetFromJsonAsync<JsonElement>($"/api/v1/{sample.Collection}?pageSize=200&sort=-createdAt");

            single.StatusCode.ShouldBe(role == "agent" ? HttpStatusCode.NotFound : HttpStatusCode.OK, entity);
            list.GetProperty("items").EnumerateArray().Any(r => r.GetProperty("id").GetGuid() == record).ShouldBe(role != "agent", entity);
        }
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task Creating_a_record_follows_the_role_matrix(string role)
    {
        var client = await host.As(role);
        foreach (var (entity, sample) in RegisteredSamples())
        {
            var response = await client.PostAsJsonAsync($"/api/v1/{sample.Collection}", sample.Create($"Created by {role}"));

            response.StatusCode.ShouldBe(role == "readonly" ? HttpStatusCode.Forbidden : HttpStatusCode.Created, entity);
            if (role == "agent")
                (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ownerId").GetGuid().ShouldBe(host.Tenant.Users["agent"], entity);
        }
    }

    [Theory]
    [InlineData("superadmin", "agent2", HttpStatusCode.OK)]
    [InlineData("admin", "agent2", HttpStatusCode.OK)]
    [InlineData("manager", "agent2", HttpStatusCode.OK)]
    [InlineData("agent", "agent", HttpStatusCode.OK)]
    [InlineData("agent", "agent2", HttpStatusCode.NotFound)]
    [InlineData("readonly", "agent2", HttpStatusCode.Forbidden)]
    public async Task Editing_a_record_follows_the_role_matrix(string role, string owner, HttpStatusCode expected)
    {
        var client = await host.As(role);
        foreach (var (entity, sample) in RegisteredSamples())
        {
            var record = await CreateOwnedByAsync(sample, owner);

            var response = await client.PatchAsJsonAsync($"/api/v1/{sample.Collection}/{record}", sample.Edit(role));

            response.StatusCode.ShouldBe(expected, entity);
        }
    }

    [Theory]
    [InlineData("superadmin", HttpStatusCode.OK)]
    [InlineData("admin", HttpStatusCode.OK)]
    [InlineData("manager", HttpStatusCode.OK)]
    [InlineData("agent", HttpStatusCode.Forbidden)]
    public async Task Reassigning_a_record_follows_the_role_matrix(string role, HttpStatusCode expected)
    {
        var client = await host.As(role);
        foreach (var (entity, sample) in RegisteredSamples())
        {
            var record = await CreateOwnedByAsync(sample, role == "agent" ? "agent" : "agent2");

            var response = await client.PatchAsJsonAsync($"/api/v1/{sample.Collection}/{record}", new { ownerId = host.Tenant.Users["manager"] });

            response.StatusCode.ShouldBe(expected, entity);
        }
    }

    [Theory]
    [InlineData("superadmin", HttpStatusCode.NoContent)]
    [InlineData("admin", HttpStatusCode.NoContent)]
    [InlineData("manager", HttpStatusCode.Forbidden)]
    [InlineData("agent", HttpStatusCode.Forbidden)]
    [InlineData("readonly", HttpStatusCode.Forbidden)]
    public async Task Deleting_a_record_follows_the_role_matrix(string role, HttpStatusCode expected)
    {
        var client = await host.As(role);
        foreach (var (entity, sample) in RegisteredSamples())
        {
            var record = await CreateOwnedByAsync(sample, role == "agent" ? "agent" : "agent2");

            var response = await client.DeleteAsync($"/api/v1/{sample.Collection}/{record}");

            response.StatusCode.ShouldBe(expected, entity);
            var after = await (await host.As("manager")).GetAsync($"/api/v1/{sample.Collection}/{record}");
            after.StatusCode.ShouldBe(expected == HttpStatusCode.NoContent ? HttpStatusCode.NotFound : HttpStatusCode.OK, entity);
        }
    }

    [Fact]
    public async Task Another_tenants_record_is_not_found_for_every_verb_and_never_listed()
    {
        var adminOfB = await host.LoginAsync(host.TenantB.Email("admin"));
        var adminOfA = await host.As("admin");
        foreach (var (entity, sample) in RegisteredSamples())
        {
            var created = await adminOfB.PostAsJsonAsync($"/api/v1/{sample.Collection}", sample.Create("Secret of B"));
            created.StatusCode.ShouldBe(HttpStatusCode.Created, entity);
            var foreign = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

            (await adminOfA.GetAsync($"/api/v1/{sample.Collection}/{foreign}")).StatusCode.ShouldBe(HttpStatusCode.NotFound, entity);
            (await adminOfA.PatchAsJsonAsync($"/api/v1/{sample.Collection}/{foreign}", sample.Edit("admin"))).StatusCode.ShouldBe(HttpStatusCode.NotFound, entity);
            (await adminOfA.DeleteAsync($"/api/v1/{sample.Collection}/{foreign}")).StatusCode.ShouldBe(HttpStatusCode.NotFound, entity);
            var list = await adminOfA.GetFromJsonAsync<JsonElement>($"/api/v1/{sample.Collection}?pageSize=200");
            list.GetProperty("items").EnumerateArray().Any(r => r.GetProperty("id").GetGuid() == foreign).ShouldBeFalse(entity);
        }
    }

    private IReadOnlyList<string> RegisteredEntities()
    {
        using var scope = host.Services.CreateScope();
        return scope.ServiceProvider.GetServices<IEntityList>().Select(l => l.Entity).ToList();
    }

    private IEnumerable<(string Entity, RecordSample Sample)> RegisteredSamples()
    {
        var entities = RegisteredEntities();
        entities.ShouldNotBeEmpty();
        return entities.Select(e => (e, Samples[e]));
    }

    private async Task<Guid> CreateOwnedByAsync(RecordSample sample, string owner)
    {
        var manager = await host.As("manager");
        var response = await manager.PostAsJsonAsync($"/api/v1/{sample.Collection}", sample.Create($"Owned by {owner}"));
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var assigned = await manager.PatchAsJsonAsync($"/api/v1/{sample.Collection}/{id}", new { ownerId = host.Tenant.Users[owner] });
        assigned.StatusCode.ShouldBe(HttpStatusCode.OK);
        return id;
    }

    private sealed record RecordSample(string Collection, Func<string, object> Create, Func<string, object> Edit);

    /// <summary>The fixture tenant (A) with every role, and tenant B whose records A must never reach.</summary>
    public sealed class TwoTenants : SwitchboardHostWithTenant
    {
        public TestTenant TenantB { get; private set; } = null!;

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            TenantB = await CreateTenantAsync("matrix-b");
        }
    }
}
