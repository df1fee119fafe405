using System.Net.Http.Json;
using System.Text.Json;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.BrowserTests;

/// <summary>/settings/pipelines with JavaScript: the arrows move stage rows in place and "Save stages" keeps the order.</summary>
public sealed class PipelineEditorTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    [Fact]
    public async Task Admin_moves_a_stage_up_in_place_and_saving_keeps_the_new_order()
    {
        var name = await PipelineAsync();
        await using var ui = await host.OpenAsync();
        await ui.SignInAsync(host.Tenant.Email("admin"));
        await ui.Page.GotoAsync("/settings/pipelines");
        var editor = ui.Page.Locator($"[data-pipeline-name='{name}']").GetByTestId("stage-editor");

        await editor.GetByRole(AriaRole.Button, new() { Name = "Move Lost up" }).ClickAsync();
        await Expect(editor.GetByTestId("order-changed")).ToBeVisibleAsync();
        await Expect(editor.GetByTestId("stage-name").Nth(1)).ToHaveValueAsync("Lost");
        await editor.GetByTestId("save-stages").ClickAsync();

        await Expect(ui.Page.GetByTestId("flash")).ToContainTextAsync("Stages saved.");
        (await StageNamesAsync(name)).ShouldBe(["Open", "Lost", "Won"]);
        ui.Problems.ShouldBeEmpty();
    }

    private async Task<string> PipelineAsync()
    {
        var name = "Editor " + Guid.NewGuid().ToString("N")[..6];
        var admin = await host.As("admin");
        var response = await admin.PostAsJsonAsync("/api/v1/pipelines", new
        {
            name,
            stages = new object[] { new { name = "Open", probability = 30 }, new { name = "Won", kind = "won" }, new { name = "Lost", kind = "lost" } },
        });
        response.EnsureSuccessStatusCode();
        return name;
    }

    private async Task<List<string>> StageNamesAsync(string name)
    {
        var list = await (await host.As("admin")).GetFromJsonAsync<JsonElement>("/api/v1/pipelines");
        return list.GetProperty("items").EnumerateArray().Single(p => p.GetProperty("name").GetString() == name)
            .GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("name").GetString()!).ToList();
    }
}
