using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Search;

/// <summary>GET /api/v1/search: typo-tolerant, by phone digits, grouped by entity, within the caller's tenant and role.</summary>
public sealed class GlobalSearchTests(SwitchboardHostWithTenant host) : IClassFixture<SwitchboardHostWithTenant>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        var manager = await host.As("manager");
        if ((await Search(manager, "Quintessa")).GetProperty("leads").GetArrayLength() > 0) return; // the class fixture is shared
        await Create(manager, "/api/v1/leads", new { firstName = "Quintessa", lastName = "Marlowe", company = "Acme Plumbing", email = "q.marlowe@acmeplumbing.example", phone = "(212) 555-0177", ownerId = host.Tenant.Users["agent"] });
        await Create(manager, "/api/v1/leads", new { firstName = "Quintessa", lastName = "Ravel", phone = "(212) 555-0178", ownerId = host.Tenant.Users["agent2"] });
        var account = await Create(manager, "/api/v1/accounts", new { name = "Globex Corporation", domain = "globex.example", ownerId = host.Tenant.Users["agent"] });
        await Create(manager, "/api/v1/contacts", new { firstName = "Bartholomew", lastName = "Quill", emails = new[] { "bart@globex.example" }, phones = new[] { "+1 312 555 0188" }, accountId = account, ownerId = host.Tenant.Users["agent"] });
        await Create(manager, "/api/v1/opportunities", new { name = "Globex expansion", accountId = account, ownerId = host.Tenant.Users["agent"] });
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("quintesa marlow")] // two typos
    [InlineData("marlowe")]
    [InlineData("acme plumbing")]
    [InlineData("acmeplumbing.example")]
    [InlineData("555-0177")] // phone digits, formatted any way
    public async Task A_lead_is_found_by_name_with_typos_company_email_or_phone_digits(string q)
    {
        var results = await Search(await host.As("manager"), q);

        Titles(results, "leads").ShouldContain("Quintessa Marlowe");
    }

    [Theory]
    [InlineData("marolwe")] // two letters swapped
    [InlineData("quintessa marlwe")] // one left out
    [InlineData("quintesa marlowe")]
    [InlineData("kuintessa")] // one replaced, in the first letter
    public async Task A_misspelt_name_is_corrected_against_the_names_the_tenant_has(string q)
    {
        var results = await Search(await host.As("manager"), q);

        Titles(results, "leads").ShouldContain("Quintessa Marlowe");
    }

    [Theory]
    [InlineData("quin")]
    [InlineData("quintessa ma")]
    [InlineData("marlowe qu")] // last name first
    [InlineData("acme plu")]
    [InlineData("q.marl")]
    public async Task A_prefix_being_typed_finds_the_lead(string q)
    {
        var results = await Search(await host.As("manager"), q);

        Titles(results, "leads").ShouldContain("Quintessa Marlowe");
    }

    [Fact]
    public async Task An_exact_name_ranks_before_a_similar_one()
    {
        var results = await Search(await host.As("manager"), "quintessa ravel");

        Titles(results, "leads")[0].ShouldBe("Quintessa Ravel");
    }

    [Fact]
    public async Task Creating_a_lead_adds_the_words_of_its_name_and_company_to_the_tenants_search_terms()
    {
        await Create(await host.As("manager"), "/api/v1/leads", new { firstName = "Ottoline", lastName = "Featherstonehaugh", company = "Quillfeather Bindery" });

        (await SearchTermsAsync("ottoline", "featherstonehaugh", "quillfeather", "bindery")).ShouldBe(["bindery", "featherstonehaugh", "ottoline", "quillfeather"]);
    }

    [Fact]
    public async Task Renaming_a_lead_adds_its_new_name_to_the_search_terms()
    {
        var manager = await host.As("manager");
        var id = await Create(manager, "/api/v1/leads", new { firstName = "Perpetua", lastName = "Oldname" });

        (await manager.PatchAsJsonAsync($"/api/v1/leads/{id}", new { lastName = "Wetherell" })).EnsureSuccessStatusCode();

        (await SearchTermsAsync("wetherell")).ShouldBe(["wetherell"]);
        Titles(await Search(manager, "perpetua wetherel"), "leads").ShouldContain("Perpetua Wetherell");
    }

    [Fact]
    public async Task Results_are_grouped_by_entity()
    {
        var results = await Search(await host.As("manager"), "globex");

        Titles(results, "accounts").ShouldContain("Globex Corporation");
        Titles(results, "contacts").ShouldContain("Bartholomew Quill"); // by the email's domain
        Titles(results, "opportunities").ShouldContain("Globex expansion");
        results.GetProperty("accounts")[0].GetProperty("url").GetString()!.ShouldStartWith("/accounts/");
        Titles(await Search(await host.As("manager"), "312 555 0188"), "contacts").ShouldContain("Bartholomew Quill");
    }

    [Fact]
    public async Task An_agent_finds_only_their_own_records_and_readonly_finds_all()
    {
        Titles(await Search(await host.As("agent"), "quintessa"), "leads").ShouldBe(["Quintessa Marlowe"]);
        Titles(await Search(await host.As("readonly"), "quintessa"), "leads").Count.ShouldBe(2);
    }

    [Fact]
    public async Task Another_tenants_records_are_never_found()
    {
        var other = await host.CreateTenantAsync("search-other");
        var otherAdmin = await host.LoginAsync(other.Email("admin"));

        var results = await Search(otherAdmin, "quintessa marlowe");

        results.GetProperty("leads").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Another_tenants_search_terms_are_not_visible()
    {
        var other = await host.CreateTenantAsync("search-words");
        await Create(await host.LoginAsync(other.Email("admin")), "/api/v1/leads", new { firstName = "Zephyrine", lastName = "Kowalczyk" });

        (await SearchTermsAsync("zephyrine", "kowalczyk")).ShouldBeEmpty();
    }

    [Fact]
    public async Task With_the_opportunities_module_off_opportunities_are_not_searched()
    {
        var tenant = await host.CreateTenantAsync("search-mod");
        var admin = await host.LoginAsync(tenant.Email("admin"));
        await Create(admin, "/api/v1/opportunities", new { name = "Initech migration" });
        Titles(await Search(admin, "initech"), "opportunities").ShouldBe(["Initech migration"]);

        (await admin.PatchAsJsonAsync("/api/v1/modules", new { opportunities = false })).EnsureSuccessStatusCode();

        (await Search(admin, "initech")).GetProperty("opportunities").GetArrayLength().ShouldBe(0);
    }

    [Theory]
    [InlineData("q=a", "q")]
    [InlineData("q=", "q")]
    [InlineData("q=marlowe&limit=0", "limit")]
    public async Task A_query_too_short_or_a_bad_limit_is_a_400_naming_the_field(string query, string field)
    {
        var response = await (await host.As("agent")).GetAsync($"/api/v1/search?{query}");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue();
    }

    /// <summary>
    /// The guard for ADR 0009: under row-level security the search conditions can use their indexes only when
    /// their functions are LEAKPROOF, which the embedded cluster's superuser preparation sets on every database it creates.
    /// </summary>
    [Fact]
    public async Task A_database_the_embedded_cluster_creates_has_the_search_functions_marked_leakproof()
    {
        await using var conn = new Npgsql.NpgsqlConnection(host.Database.RuntimeConnectionString);
        await conn.OpenAsync();
        await using var check = new Npgsql.NpgsqlCommand(Switchboard.Platform.Database.SuperuserPreparation.CheckSql, conn);

        (await check.ExecuteScalarAsync()).ShouldBe(true);
    }

    /// <summary>Which of the given words are in this tenant's search_terms, read as the application reads them (row-level security on).</summary>
    private async Task<List<string>> SearchTermsAsync(params string[] words)
    {
        await using var conn = new Npgsql.NpgsqlConnection(host.Database.RuntimeConnectionString);
        await conn.OpenAsync();
        await using (var tenant = new Npgsql.NpgsqlCommand("select set_config('app.tenant_id', $1, false)", conn)
                     { Parameters = { new Npgsql.NpgsqlParameter { Value = host.Tenant.Id.ToString() } } })
            await tenant.ExecuteNonQueryAsync();
        await using var cmd = new Npgsql.NpgsqlCommand("select term from search_terms where term = any($1) order by term", conn)
        {
            Parameters = { new Npgsql.NpgsqlParameter { Value = words } },
        };
        await using var reader = await cmd.ExecuteReaderAsync();
        var terms = new List<string>();
        while (await reader.ReadAsync()) terms.Add(reader.GetString(0));
        return terms;
    }

    private static async Task<JsonElement> Search(HttpClient client, string q) =>
        await client.GetFromJsonAsync<JsonElement>($"/api/v1/search?q={Uri.EscapeDataString(q)}");

    private static List<string> Titles(JsonElement results, string group) =>
        results.GetProperty(group).EnumerateArray().Select(h => h.GetProperty("title").GetString()!).ToList();

    private static async Task<Guid> Create(HttpClient client, string path, object body)
    {
        var response = await client.PostAsJsonAsync(path, body);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }
}
