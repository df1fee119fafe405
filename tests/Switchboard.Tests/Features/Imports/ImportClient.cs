using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Imports;

/// <summary>Uploads CSV files to /api/v1/imports the way a client would, and waits for the background run.</summary>
public static class ImportClient
{
    public static MultipartFormDataContent Form(byte[] file, string entity, string? mode = null, string? matchOn = null,
        string? mapping = null, string? encoding = null, string? delimiter = null, bool? start = null, string fileName = "people.csv")
    {
        var form = new MultipartFormDataContent();
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(content, "file", fileName);
        form.Add(new StringContent(entity), "entity");
        if (mode is not null) form.Add(new StringContent(mode), "mode");
        if (matchOn is not null) form.Add(new StringContent(matchOn), "matchOn");
        if (mapping is not null) form.Add(new StringContent(mapping), "mapping");
        if (encoding is not null) form.Add(new StringContent(encoding), "encoding");
        if (delimiter is not null) form.Add(new StringContent(delimiter), "delimiter");
        if (start is not null) form.Add(new StringContent(start.Value ? "true" : "false"), "start");
        return form;
    }

    public static byte[] Utf8(string csv) => Encoding.UTF8.GetBytes(csv);

    /// <summary>Starts an import and waits until it has finished (completed or failed).</summary>
    public static async Task<JsonElement> RunAsync(HttpClient client, byte[] file, string entity, string? mode = null, string? matchOn = null,
        string? mapping = null, string? encoding = null, string? delimiter = null)
    {
        var response = await client.PostAsync("/api/v1/imports", Form(file, entity, mode, matchOn, mapping, encoding, delimiter));
        if (response.StatusCode != HttpStatusCode.Accepted)
            throw new InvalidOperationException($"Import was not accepted: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var import = await response.Content.ReadFromJsonAsync<JsonElement>();
        return await WaitAsync(client, import.GetProperty("id").GetGuid());
    }

    public static async Task<JsonElement> WaitAsync(HttpClient client, Guid id, params string[] statuses)
    {
        if (statuses.Length == 0) statuses = ["completed", "failed"];
        return await Eventually.Until(() => client.GetFromJsonAsync<JsonElement>($"/api/v1/imports/{id}"),
            import => statuses.Contains(import.GetProperty("status").GetString()), TimeSpan.FromSeconds(90),
            $"import {id} to be {string.Join(" or ", statuses)}");
    }

    public static async Task<List<string[]>> ErrorsAsync(HttpClient client, Guid id)
    {
        var text = await client.GetStringAsync($"/api/v1/imports/{id}/errors");
        using var parser = new Microsoft.VisualBasic.FileIO.TextFieldParser(new StringReader(text)) { HasFieldsEnclosedInQuotes = true };
        parser.SetDelimiters(",");
        var rows = new List<string[]>();
        while (!parser.EndOfData) rows.Add(parser.ReadFields()!);
        return rows;
    }

    public static Guid Id(this JsonElement import) => import.GetProperty("id").GetGuid();

    public static int Count(this JsonElement import, string name) => import.GetProperty(name).GetInt32();
}
