using System.Net.Http.Json;
using System.Text.Json;

namespace Switchboard.Tests.Features.Lists;

/// <summary>Small helpers the list tests share: creating records and reading list responses.</summary>
internal static class ListApi
{
    public static string Tag() => Guid.NewGuid().ToString("N")[..8];

    public static async Task<Guid> CreateAsync(HttpClient client, string path, object body)
    {
        var response = await client.PostAsJsonAsync(path, body);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST {path} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public static async Task<string> CustomFieldAsync(HttpClient admin, string entity, string type, params string[] options)
    {
        var key = type.Replace("-", "") + Tag();
        object body = options.Length > 0
            ? new { entity, key, label = "Field " + key, type, options }
            : new { entity, key, label = "Field " + key, type };
        (await admin.PostAsJsonAsync("/api/v1/custom-fields", body)).EnsureSuccessStatusCode();
        return key;
    }

    public static async Task<IReadOnlyList<string>> NamesAsync(HttpClient client, string url, string property = "lastName")
    {
        var response = await client.GetAsync(url);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"GET {url} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var list = await response.Content.ReadFromJsonAsync<JsonElement>();
        return list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty(property).GetString()!).Order(StringComparer.Ordinal).ToList();
    }

    public static async Task<IReadOnlyDictionary<string, string[]>> ErrorsAsync(HttpResponseMessage response)
    {
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        return problem.GetProperty("errors").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.EnumerateArray().Select(v => v.GetString()!).ToArray());
    }

    /// <summary>An RFC 4180 reader for checking exports (quoted fields, doubled quotes, CRLF inside quotes).</summary>
    public static List<List<string>> ParseCsv(string text)
    {
        if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];
        var records = new List<List<string>>();
        var record = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { record.Add(field.ToString()); field.Clear(); }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                record.Add(field.ToString());
                field.Clear();
                records.Add(record);
                record = [];
                i++;
            }
            else field.Append(c);
        }
        if (field.Length > 0 || record.Count > 0) throw new FormatException("The CSV does not end with CRLF.");
        if (quoted) throw new FormatException("A quoted field is never closed.");
        return records;
    }
}
