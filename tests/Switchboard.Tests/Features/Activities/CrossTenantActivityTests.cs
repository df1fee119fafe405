using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Activities;

/// <summary>Two tenants: an activity, a note and a lead in B; an admin of A tries to reach them.</summary>
public sealed class CrossTenantActivityFixture : SwitchboardHost
{
    public Guid ForeignLead { get; private set; }
    public Guid ForeignActivity { get; private set; }
    public Guid ForeignNote { get; private set; }
    public HttpClient AdminOfA { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var a = await CreateTenantAsync("act-a");
        var b = await CreateTenantAsync("act-b");
        using var adminOfB = await LoginAsync(b.Email("admin"));
        ForeignLead = await ActivityTestData.IdOf(await adminOfB.PostAsJsonAsync("/api/v1/leads", new { lastName = "Secret" }));
        ForeignActivity = await adminOfB.ActivityAsync(new { subject = "Secret task", relatedType = "lead", relatedId = ForeignLead });
        ForeignNote = await adminOfB.NoteAsync(ForeignLead, "Secret note");
        AdminOfA = await LoginAsync(a.Email("admin"));
    }
}

public sealed class CrossTenantActivityTests(CrossTenantActivityFixture fixture) : IClassFixture<CrossTenantActivityFixture>
{
    private HttpClient _adminOfA => fixture.AdminOfA;

    [Fact]
    public async Task Another_tenants_activity_is_not_found_for_every_verb()
    {
        var id = fixture.ForeignActivity;

        (await _adminOfA.GetAsync($"/api/v1/activities/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await _adminOfA.PatchAsJsonAsync($"/api/v1/activities/{id}", new { subject = "Hijacked" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await _adminOfA.PostAsync($"/api/v1/activities/{id}/complete", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await _adminOfA.DeleteAsync($"/api/v1/activities/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Another_tenants_note_is_not_found_for_every_verb()
    {
        var id = fixture.ForeignNote;

        (await _adminOfA.GetAsync($"/api/v1/notes/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await _adminOfA.PatchAsJsonAsync($"/api/v1/notes/{id}", new { body = "Hijacked" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await _adminOfA.DeleteAsync($"/api/v1/notes/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Another_tenants_record_has_no_timeline()
    {
        var response = await _adminOfA.GetAsync($"/api/v1/timeline?relatedType=lead&relatedId={fixture.ForeignLead}");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Another_tenants_rows_never_appear_in_lists()
    {
        var activities = await _adminOfA.GetFromJsonAsync<JsonElement>($"/api/v1/activities?relatedType=lead&relatedId={fixture.ForeignLead}");
        var notes = await _adminOfA.GetFromJsonAsync<JsonElement>($"/api/v1/notes?relatedType=lead&relatedId={fixture.ForeignLead}");

        activities.GetProperty("total").GetInt32().ShouldBe(0);
        notes.GetProperty("total").GetInt32().ShouldBe(0);
    }
}
