using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;
using Switchboard.Tests.Features.Activities;

namespace Switchboard.Tests.Features.Opportunities;

/// <summary>/settings/pipelines as an administrator's browser posts it (no JavaScript): pipelines and their stages.</summary>
public sealed class PipelineEditingPageTests(SwitchboardHostWithTenant host) : IClassFixture<SwitchboardHostWithTenant>
{
    private const string Page = "/settings/pipelines";

    [Fact]
    public async Task Admin_creates_a_pipeline_that_starts_with_editable_stages()
    {
        using var browser = await PageForms.BrowserAsync(host, "admin");
        var name = Unique("Renewals");

        var posted = await PageForms.PostAsync(browser, Page, "Create", new() { ["name"] = name });
        var pipeline = await PipelineAsync(name);

        posted.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        StageSummary(pipeline).ShouldBe(["Qualification 10 open", "Proposal 50 open", "Won 100 won", "Lost 0 lost"]);
    }

    [Fact]
    public async Task A_pipeline_without_a_name_is_refused_with_the_message_next_to_the_field()
    {
        using var browser = await PageForms.BrowserAsync(host, "admin");

        var response = await PageForms.PostAsync(browser, Page, "Create", new() { ["name"] = "" });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldContain("<p class=\"field-error\" id=\"new-pipeline-error\">Name is required.</p>");
    }

    [Fact]
    public async Task Admin_renames_a_pipeline()
    {
        var pipeline = await CreatePipelineAsync();
        using var browser = await PageForms.BrowserAsync(host, "admin");
        var newName = Unique("Renamed");

        await PageForms.PostAsync(browser, Page, "Rename", new() { ["id"] = Id(pipeline), ["version"] = Version(pipeline), ["name"] = newName });

        (await PipelineAsync(newName)).GetProperty("id").GetGuid().ToString().ShouldBe(Id(pipeline));
    }

    [Fact]
    public async Task Admin_edits_a_stage_and_adds_one_with_its_probability()
    {
        var pipeline = await CreatePipelineAsync();
        using var browser = await PageForms.BrowserAsync(host, "admin");
        var fields = StageFields(pipeline);
        fields["Stages[0].Name"] = "Discovery";
        fields["Stages[0].Probability"] = "15";
        AddStage(fields, 3, "Contract", "80", "open");

        var posted = await PageForms.PostAsync(browser, Page, "Stages", Expand(fields));

        posted.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        StageSummary(await PipelineAsync(Name(pipeline))).ShouldBe(["Discovery 15 open", "Won 100 won", "Lost 0 lost", "Contract 80 open"]);
    }

    [Fact]
    public async Task Admin_moves_a_stage_up_with_the_arrow_button()
    {
        var pipeline = await CreatePipelineAsync();
        using var browser = await PageForms.BrowserAsync(host, "admin");
        var fields = StageFields(pipeline);
        fields["move"] = "2:up";

        await PageForms.PostAsync(browser, Page, "Stages", Expand(fields));

        StageSummary(await PipelineAsync(Name(pipeline))).ShouldBe(["Open 30 open", "Lost 0 lost", "Won 100 won"]);
    }

    [Fact]
    public async Task Admin_marks_another_stage_as_the_won_stage_and_removes_the_old_one()
    {
        var pipeline = await CreatePipelineAsync();
        using var browser = await PageForms.BrowserAsync(host, "admin");
        var fields = StageFields(pipeline);
        fields["Stages[1].Remove"] = "true";
        AddStage(fields, 3, "Signed", "", "won");

        await PageForms.PostAsync(browser, Page, "Stages", Expand(fields));

        StageSummary(await PipelineAsync(Name(pipeline))).ShouldBe(["Open 30 open", "Lost 0 lost", "Signed 100 won"]);
    }

    [Fact]
    public async Task A_stage_list_without_a_won_stage_is_refused_with_the_services_message()
    {
        var pipeline = await CreatePipelineAsync();
        using var browser = await PageForms.BrowserAsync(host, "admin");
        var fields = StageFields(pipeline);
        fields["Stages[1].Kind"] = "open";
        fields["Stages[1].Probability"] = "90";

        var response = await PageForms.PostAsync(browser, Page, "Stages", Expand(fields));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldContain("A pipeline needs exactly one won stage.");
        StageSummary(await PipelineAsync(Name(pipeline))).ShouldBe(["Open 30 open", "Won 100 won", "Lost 0 lost"]);
    }

    [Fact]
    public async Task A_bad_probability_is_shown_on_its_stage_row()
    {
        var pipeline = await CreatePipelineAsync();
        using var browser = await PageForms.BrowserAsync(host, "admin");
        var fields = StageFields(pipeline);
        fields["Stages[0].Probability"] = "140";

        var response = await PageForms.PostAsync(browser, Page, "Stages", Expand(fields));

        (await response.Content.ReadAsStringAsync()).ShouldContain($"id=\"stage-error-{Guid.Parse(Id(pipeline)):N}-0\">Probability must be between 0 and 100.</p>");
    }

    [Fact]
    public async Task A_stage_that_still_has_opportunities_cannot_be_removed()
    {
        var pipeline = await CreatePipelineAsync();
        var open = pipeline.GetProperty("stages")[0].GetProperty("id").GetGuid();
        await OpportunityTestData.CreateAsync(await host.As("manager"), new { name = "Holding the stage", stageId = open });
        using var browser = await PageForms.BrowserAsync(host, "admin");
        var fields = StageFields(pipeline);
        fields["Stages[0].Remove"] = "true";
        AddStage(fields, 3, "Replacement", "20", "open");

        var response = await PageForms.PostAsync(browser, Page, "Stages", Expand(fields));

        (await response.Content.ReadAsStringAsync()).ShouldContain("A stage that still has opportunities cannot be removed.");
        StageSummary(await PipelineAsync(Name(pipeline))).ShouldContain("Open 30 open");
    }

    [Fact]
    public async Task A_page_older_than_the_pipeline_is_refused_instead_of_overwriting_the_change()
    {
        var pipeline = await CreatePipelineAsync();
        var admin = await host.As("admin");
        (await admin.PatchAsJsonAsync($"/api/v1/pipelines/{Id(pipeline)}", new { name = Name(pipeline) + " v2" })).EnsureSuccessStatusCode();
        using var browser = await PageForms.BrowserAsync(host, "admin");

        var response = await PageForms.PostAsync(browser, Page, "Rename", new() { ["id"] = Id(pipeline), ["version"] = Version(pipeline), ["name"] = "Stale" });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldContain("Reload and retry.");
    }

    [Theory]
    [InlineData("manager")]
    [InlineData("agent")]
    public async Task Only_administrators_may_open_or_post_the_page(string role)
    {
        using var browser = await PageForms.BrowserAsync(host, role);
        var ownToken = PageForms.Token(await browser.GetStringAsync("/leads"));
        var name = Unique("Denied");

        var get = await browser.GetAsync(Page);
        var post = await browser.PostAsync($"{Page}?handler=Create",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = name, ["__RequestVerificationToken"] = ownToken }));

        PageForms.RedirectPath(get).ShouldBe("/forbidden");
        PageForms.RedirectPath(post).ShouldBe("/forbidden");
        (await PipelineOrNullAsync(name)).ShouldBeNull();
    }

    private static string Unique(string name) => $"{name} {Guid.NewGuid().ToString("N")[..6]}";

    private async Task<JsonElement> CreatePipelineAsync()
    {
        var admin = await host.As("admin");
        var response = await admin.PostAsJsonAsync("/api/v1/pipelines", new
        {
            name = Unique("Edit"),
            stages = new object[] { new { name = "Open", probability = 30 }, new { name = "Won", kind = "won" }, new { name = "Lost", kind = "lost" } },
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The stage editor's fields as the page renders them for the pipeline.</summary>
    private static Dictionary<string, string> StageFields(JsonElement pipeline)
    {
        var fields = new Dictionary<string, string> { ["id"] = Id(pipeline), ["version"] = Version(pipeline) };
        var i = 0;
        foreach (var stage in pipeline.GetProperty("stages").EnumerateArray())
        {
            fields[$"Stages[{i}].Id"] = stage.GetProperty("id").GetString()!;
            AddStage(fields, i, stage.GetProperty("name").GetString()!, stage.GetProperty("probability").GetInt32().ToString(), stage.GetProperty("kind").GetString()!);
            i++;
        }
        return fields;
    }

    private static void AddStage(Dictionary<string, string> fields, int index, string name, string probability, string kind)
    {
        // The page posts one Stages.Index per row; the dictionary keeps them comma-joined until Expand.
        fields["Stages.Index"] = fields.TryGetValue("Stages.Index", out var indexes) ? $"{indexes},{index}" : $"{index}";
        fields[$"Stages[{index}].Name"] = name;
        fields[$"Stages[{index}].Probability"] = probability;
        fields[$"Stages[{index}].Kind"] = kind;
    }

    private static IEnumerable<KeyValuePair<string, string>> Expand(Dictionary<string, string> fields) =>
        fields.SelectMany(f => f.Key == "Stages.Index"
            ? f.Value.Split(',').Select(v => new KeyValuePair<string, string>(f.Key, v))
            : [f]);

    private async Task<JsonElement?> PipelineOrNullAsync(string name)
    {
        var list = await (await host.As("admin")).GetFromJsonAsync<JsonElement>("/api/v1/pipelines");
        return list.GetProperty("items").EnumerateArray().Cast<JsonElement?>().SingleOrDefault(p => p!.Value.GetProperty("name").GetString() == name);
    }

    private async Task<JsonElement> PipelineAsync(string name) =>
        await PipelineOrNullAsync(name) ?? throw new ShouldAssertException($"No pipeline named {name}.");

    private static string Id(JsonElement pipeline) => pipeline.GetProperty("id").GetString()!;

    private static string Name(JsonElement pipeline) => pipeline.GetProperty("name").GetString()!;

    private static string Version(JsonElement pipeline) => pipeline.GetProperty("version").GetInt32().ToString();

    private static List<string> StageSummary(JsonElement pipeline) =>
        pipeline.GetProperty("stages").EnumerateArray()
            .Select(s => $"{s.GetProperty("name").GetString()} {s.GetProperty("probability").GetInt32()} {s.GetProperty("kind").GetString()}")
            .ToList();
}
