using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;
using static Switchboard.Tests.Features.Lists.ListApi;

namespace Switchboard.Tests.Features.Lists;

/// <summary>filter.&lt;field&gt;=op:value on the entity lists: validation, standard and custom fields, and the agent's own rows.</summary>
public sealed class ListFilterTests(SwitchboardHostWithTenant host) : IClassFixture<SwitchboardHostWithTenant>
{
    [Theory]
    [InlineData("filter.shoeSize=eq:42", "filter.shoeSize", "is not a field")]
    [InlineData("filter.company=like:acme", "filter.company", "is not an operator")]
    [InlineData("filter.company=gt:acme", "filter.company", "cannot be used with Company")]
    [InlineData("filter.createdAt=gt:yesterday", "filter.createdAt", "yyyy-MM-dd")]
    [InlineData("filter.status=eq:lukewarm", "filter.status", "is not a status")]
    [InlineData("filter.ownerId=eq:someone", "filter.ownerId", "user id or 'me'")]
    [InlineData("filter.company=contains:", "filter.company", "Give a value")]
    [InlineData("columns=company,shoeSize", "columns", "'shoeSize' is not a column")]
    [InlineData("filter.company=eq:a%00b", "filter.company", "NUL")]
    public async Task A_bad_filter_or_column_is_a_400_naming_the_parameter(string query, string field, string message)
    {
        var response = await (await host.As("admin")).GetAsync($"/api/v1/leads?{query}");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ErrorsAsync(response))[field].ShouldContain(m => m.Contains(message));
    }

    [Fact]
    public async Task A_bad_value_for_a_custom_field_is_a_400()
    {
        var admin = await host.As("admin");
        var score = await CustomFieldAsync(admin, "lead", "number");

        var response = await admin.GetAsync($"/api/v1/leads?filter.custom.{score}=gt:lots");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ErrorsAsync(response)).Keys.ShouldContain($"filter.custom.{score}");
    }

    [Fact]
    public async Task Text_operators_match_case_insensitively_and_take_wildcards_as_text()
    {
        var admin = await host.As("admin");
        var tag = Tag();
        await CreateAsync(admin, "/api/v1/leads", new { lastName = "Exact", company = $"Acme_{tag}" });
        await CreateAsync(admin, "/api/v1/leads", new { lastName = "Lookalike", company = $"AcmeX{tag}" });
        await CreateAsync(admin, "/api/v1/leads", new { lastName = "Longer", company = $"Acme_{tag} Holdings" });

        (await NamesAsync(admin, $"/api/v1/leads?filter.company=eq:acme_{tag}")).ShouldBe(["Exact"]);
        (await NamesAsync(admin, $"/api/v1/leads?filter.company=starts:ACME_{tag}")).ShouldBe(["Exact", "Longer"]);
        (await NamesAsync(admin, $"/api/v1/leads?filter.company=contains:{tag}&filter.company=ne:acme_{tag}")).ShouldBe(["Longer", "Lookalike"]);
    }

    [Fact]
    public async Task Status_in_and_owner_me_select_the_right_leads()
    {
        var manager = await host.As("manager");
        var tag = Tag();
        var me = host.Tenant.Users["manager"];
        await CreateAsync(manager, "/api/v1/leads", new { lastName = "New", company = tag, status = "new", ownerId = me });
        await CreateAsync(manager, "/api/v1/leads", new { lastName = "Qualified", company = tag, status = "qualified", ownerId = me });
        await CreateAsync(manager, "/api/v1/leads", new { lastName = "Contacted", company = tag, status = "contacted", ownerId = host.Tenant.Users["agent"] });

        (await NamesAsync(manager, $"/api/v1/leads?filter.company=eq:{tag}&filter.status=in:qualified|contacted")).ShouldBe(["Contacted", "Qualified"]);
        (await NamesAsync(manager, $"/api/v1/leads?filter.company=eq:{tag}&filter.ownerId=me")).ShouldBe(["New", "Qualified"]);
        (await NamesAsync(manager, $"/api/v1/leads?filter.company=eq:{tag}&filter.status=ne:new&filter.ownerId=ne:me")).ShouldBe(["Contacted"]);
    }

    [Fact]
    public async Task Empty_and_notempty_select_leads_without_and_with_a_value()
    {
        var admin = await host.As("admin");
        var tag = Tag();
        await CreateAsync(admin, "/api/v1/leads", new { lastName = "NoTitle", company = tag });
        await CreateAsync(admin, "/api/v1/leads", new { lastName = "Titled", company = tag, title = "CTO" });

        (await NamesAsync(admin, $"/api/v1/leads?filter.company=eq:{tag}&filter.title=empty")).ShouldBe(["NoTitle"]);
        (await NamesAsync(admin, $"/api/v1/leads?filter.company=eq:{tag}&filter.title=notempty")).ShouldBe(["Titled"]);
    }

    [Fact]
    public async Task Custom_number_select_and_text_fields_filter_with_their_operators()
    {
        var admin = await host.As("admin");
        var tag = Tag();
        var score = await CustomFieldAsync(admin, "lead", "number");
        var tier = await CustomFieldAsync(admin, "lead", "single-select", "Gold", "Silver", "Bronze");
        var note = await CustomFieldAsync(admin, "lead", "text");
        await CreateAsync(admin, "/api/v1/leads", new { lastName = "Low", company = tag, custom = new Dictionary<string, object> { [score] = 10, [tier] = "Bronze", [note] = "cold lead" } });
        await CreateAsync(admin, "/api/v1/leads", new { lastName = "High", company = tag, custom = new Dictionary<string, object> { [score] = 90, [tier] = "Gold", [note] = "Warm intro" } });
        await CreateAsync(admin, "/api/v1/leads", new { lastName = "Unscored", company = tag });

        (await NamesAsync(admin, $"/api/v1/leads?filter.company=eq:{tag}&filter.custom.{score}=gt:50")).ShouldBe(["High"]);
        (await NamesAsync(admin, $"/api/v1/leads?filter.company=eq:{tag}&filter.custom.{score}=lte:10")).ShouldBe(["Low"]);
        (await NamesAsync(admin, $"/api/v1/leads?filter.company=eq:{tag}&filter.custom.{tier}=in:gold|silver")).ShouldBe(["High"]);
        (await NamesAsync(admin, $"/api/v1/leads?filter.company=eq:{tag}&filter.custom.{note}=contains:WARM")).ShouldBe(["High"]);
        (await NamesAsync(admin, $"/api/v1/leads?filter.company=eq:{tag}&filter.custom.{score}=empty")).ShouldBe(["Unscored"]);
    }

    [Fact]
    public async Task The_old_parameters_still_work_alongside_filters()
    {
        var admin = await host.As("admin");
        var tag = Tag();
        var tier = await CustomFieldAsync(admin, "lead", "single-select", "Gold", "Silver");
        await CreateAsync(admin, "/api/v1/leads", new { lastName = "Gold", company = tag, status = "qualified", custom = new Dictionary<string, object> { [tier] = "Gold" } });
        await CreateAsync(admin, "/api/v1/leads", new { lastName = "Silver", company = tag, status = "qualified", custom = new Dictionary<string, object> { [tier] = "Silver" } });

        (await NamesAsync(admin, $"/api/v1/leads?search={tag}&status=qualified&custom.{tier}=gold&filter.lastName=starts:g")).ShouldBe(["Gold"]);
    }

    [Fact]
    public async Task An_agent_filtering_by_another_owner_still_sees_only_their_own_leads()
    {
        var admin = await host.As("admin");
        var tag = Tag();
        await CreateAsync(admin, "/api/v1/leads", new { lastName = "Theirs", company = tag, ownerId = host.Tenant.Users["agent2"] });
        await CreateAsync(admin, "/api/v1/leads", new { lastName = "Mine", company = tag, ownerId = host.Tenant.Users["agent"] });
        var agent = await host.As("agent");

        (await NamesAsync(agent, $"/api/v1/leads?filter.company=eq:{tag}&filter.ownerId=eq:{host.Tenant.Users["agent2"]}")).ShouldBeEmpty();
        (await NamesAsync(agent, $"/api/v1/leads?filter.company=eq:{tag}")).ShouldBe(["Mine"]);
    }

    [Fact]
    public async Task Accounts_filter_on_standard_and_custom_fields()
    {
        var admin = await host.As("admin");
        var tag = Tag();
        var vip = await CustomFieldAsync(admin, "account", "boolean");
        await CreateAsync(admin, "/api/v1/accounts", new { name = $"Big {tag}", size = "1001-5000", custom = new Dictionary<string, object> { [vip] = true } });
        await CreateAsync(admin, "/api/v1/accounts", new { name = $"Small {tag}", size = "1-10" });

        (await NamesAsync(admin, $"/api/v1/accounts?filter.name=contains:{tag}&filter.size=in:1001-5000|5000%2B", "name")).ShouldBe([$"Big {tag}"]);
        (await NamesAsync(admin, $"/api/v1/accounts?filter.name=contains:{tag}&filter.custom.{vip}=yes", "name")).ShouldBe([$"Big {tag}"]);
    }

    [Fact]
    public async Task Contacts_filter_on_their_email_and_account()
    {
        var admin = await host.As("admin");
        var tag = Tag();
        var account = await CreateAsync(admin, "/api/v1/accounts", new { name = $"Employer {tag}" });
        await CreateAsync(admin, "/api/v1/contacts", new { lastName = "Employed", emails = new[] { $"e{tag}@corp.example" }, accountId = account });
        await CreateAsync(admin, "/api/v1/contacts", new { lastName = "Freelance", emails = new[] { $"f{tag}@home.example" } });

        (await NamesAsync(admin, $"/api/v1/contacts?filter.email=contains:{tag}&filter.accountId=eq:{account}")).ShouldBe(["Employed"]);
        (await NamesAsync(admin, $"/api/v1/contacts?filter.email=contains:{tag}&filter.accountId=empty")).ShouldBe(["Freelance"]);
    }

    [Fact]
    public async Task Contacts_email_and_phone_filters_match_any_of_their_entries()
    {
        var admin = await host.As("admin");
        var tag = Tag();
        await CreateAsync(admin, "/api/v1/contacts", new
        {
            lastName = $"Two {tag}", emails = new[] { $"work{tag}@corp.example", $"home{tag}@mail.example" }, phones = new[] { "+14155550101", "+14155550199" },
        });
        await CreateAsync(admin, "/api/v1/contacts", new { lastName = $"One {tag}", emails = new[] { $"only{tag}@corp.example" } });
        var both = $"filter.lastName=contains:{tag}";

        (await NamesAsync(admin, $"/api/v1/contacts?{both}&filter.email=eq:HOME{tag}@mail.example")).ShouldBe([$"Two {tag}"]);
        (await NamesAsync(admin, $"/api/v1/contacts?{both}&filter.email=ne:home{tag}@mail.example")).ShouldBe([$"One {tag}"]);
        (await NamesAsync(admin, $"/api/v1/contacts?{both}&filter.email=starts:home")).ShouldBe([$"Two {tag}"]);
        (await NamesAsync(admin, $"/api/v1/contacts?{both}&filter.phone=contains:5550199")).ShouldBe([$"Two {tag}"]);
        (await NamesAsync(admin, $"/api/v1/contacts?{both}&filter.phone=empty")).ShouldBe([$"One {tag}"]);
        (await NamesAsync(admin, $"/api/v1/contacts?{both}&filter.phone=notempty")).ShouldBe([$"Two {tag}"]);
    }

    [Fact]
    public async Task Opportunities_filter_on_amount_close_date_and_status()
    {
        var admin = await host.As("admin");
        var tag = Tag();
        await CreateAsync(admin, "/api/v1/opportunities", new { name = $"Large {tag}", amount = 50000, expectedClose = "2030-06-30" });
        await CreateAsync(admin, "/api/v1/opportunities", new { name = $"Small {tag}", amount = 500, expectedClose = "2030-01-15" });

        (await NamesAsync(admin, $"/api/v1/opportunities?filter.name=contains:{tag}&filter.amount=gte:1000", "name")).ShouldBe([$"Large {tag}"]);
        (await NamesAsync(admin, $"/api/v1/opportunities?filter.name=contains:{tag}&filter.expectedClose=lt:2030-03-01", "name")).ShouldBe([$"Small {tag}"]);
        (await NamesAsync(admin, $"/api/v1/opportunities?filter.name=contains:{tag}&filter.status=eq:open", "name")).ShouldBe([$"Large {tag}", $"Small {tag}"]);
        (await NamesAsync(admin, $"/api/v1/opportunities?filter.name=contains:{tag}&filter.status=in:won|lost", "name")).ShouldBeEmpty();
    }

    [Fact]
    public async Task Created_on_a_day_means_that_day_in_the_tenants_time_zone()
    {
        var admin = await host.As("admin");
        var tag = Tag();
        var id = await CreateAsync(admin, "/api/v1/leads", new { lastName = "Today", company = tag });
        var created = (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{id}")).GetProperty("createdAt").GetDateTimeOffset();
        var day = TimeZoneInfo.ConvertTime(created, TimeZoneInfo.FindSystemTimeZoneById("America/New_York")).ToString("yyyy-MM-dd");

        (await NamesAsync(admin, $"/api/v1/leads?filter.company=eq:{tag}&filter.createdAt=eq:{day}")).ShouldBe(["Today"]);
        (await NamesAsync(admin, $"/api/v1/leads?filter.company=eq:{tag}&filter.createdAt=lt:{day}")).ShouldBeEmpty();
    }
}
