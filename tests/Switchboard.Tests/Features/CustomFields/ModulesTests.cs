using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Features.Modules;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.CustomFields;

public sealed class ModulesTests(SwitchboardHost host) : IClassFixture<SwitchboardHost>
{
    [Fact]
    public async Task Every_module_is_on_until_an_admin_switches_it_off()
    {
        var tenant = await host.CreateTenantAsync("mod");
        var admin = await host.LoginAsync(tenant.Email("admin"));
        var agent = await host.LoginAsync(tenant.Email("agent"));

        var before = await agent.GetFromJsonAsync<ModulesDto>("/api/v1/modules");
        var patched = await admin.PatchAsJsonAsync("/api/v1/modules", new { opportunities = false });
        var after = await agent.GetFromJsonAsync<ModulesDto>("/api/v1/modules");

        before.ShouldBe(new ModulesDto(true, true, true));
        patched.StatusCode.ShouldBe(HttpStatusCode.OK);
        after.ShouldBe(new ModulesDto(false, true, true));
    }

    [Theory]
    [InlineData("manager")]
    [InlineData("agent")]
    public async Task Only_admins_switch_modules(string role)
    {
        var tenant = await host.CreateTenantAsync("mod");
        var client = await host.LoginAsync(tenant.Email(role));

        var response = await client.PatchAsJsonAsync("/api/v1/modules", new { activities = false });

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Switching_a_module_is_audited()
    {
        var tenant = await host.CreateTenantAsync("mod");
        var admin = await host.LoginAsync(tenant.Email("admin"));

        await admin.PatchAsJsonAsync("/api/v1/modules", new { products = false });
        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit?entity=module&entityId=products");

        audit.GetProperty("items").GetArrayLength().ShouldBe(1);
    }

    [Theory]
    [InlineData("opportunities", "/api/v1/opportunities", "/opportunities")]
    [InlineData("opportunities", "/api/v1/pipelines", "/settings/pipelines")]
    [InlineData("products", "/api/v1/products", "/settings/products")]
    [InlineData("activities", "/api/v1/activities", "/tasks")]
    public async Task A_switched_off_module_answers_not_found_in_the_api_and_its_pages_and_comes_back_when_switched_on(string module, string api, string page)
    {
        var tenant = await host.CreateTenantAsync("mod");
        var admin = await host.LoginAsync(tenant.Email("admin"));
        var cookies = await FloorClient.SignInAsync(host.BaseAddress, tenant.Email("admin"));
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };
        (await admin.GetAsync(api)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await browser.GetAsync(page)).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await admin.PatchAsJsonAsync("/api/v1/modules", new Dictionary<string, bool> { [module] = false })).EnsureSuccessStatusCode();

        (await admin.GetAsync(api)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await browser.GetAsync(page)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await admin.PatchAsJsonAsync("/api/v1/modules", new Dictionary<string, bool> { [module] = true })).EnsureSuccessStatusCode();
        (await admin.GetAsync(api)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_sidebar_hides_the_links_of_switched_off_modules()
    {
        var tenant = await host.CreateTenantAsync("mod");
        var admin = await host.LoginAsync(tenant.Email("admin"));
        await admin.PatchAsJsonAsync("/api/v1/modules", new { activities = false });
        var cookies = await FloorClient.SignInAsync(host.BaseAddress, tenant.Email("manager"));
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = host.BaseAddress };

        var html = await browser.GetStringAsync("/leads");

        html.ShouldContain("href=\"/opportunities\"");
        html.ShouldNotContain("href=\"/tasks\"");
    }
}
