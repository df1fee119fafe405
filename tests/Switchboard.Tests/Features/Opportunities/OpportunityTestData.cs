using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Switchboard.Tests.Features.Opportunities;

/// <summary>Small API helpers shared by the opportunity tests.</summary>
internal static class OpportunityTestData
{
    public static async Task<JsonElement> DefaultPipelineAsync(HttpClient client)
    {
        var list = await client.GetFromJsonAsync<JsonElement>("/api/v1/pipelines");
        return list.GetProperty("items").EnumerateArray().Single(p => p.GetProperty("isDefault").GetBoolean());
    }

    public static async Task<Guid> StageAsync(HttpClient client, string name)
    {
        var pipeline = await DefaultPipelineAsync(client);
        return pipeline.GetProperty("stages").EnumerateArray().Single(s => s.GetProperty("name").GetString() == name).GetProperty("id").GetGuid();
    }

    public static async Task<JsonElement> CreateAsync(HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync("/api/v1/opportunities", body);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static Guid Id(this JsonElement element) => element.GetProperty("id").GetGuid();

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();
}
