namespace Switchboard.Platform.Web;

/// <summary>Collects per-field validation messages (camelCase field names, as clients send them).</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsValid => _errors.Count == 0;

    public bool Has(string field) => _errors.ContainsKey(field);

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
    }

    public void Required(string field, string? value, string label, int maxLength = 200)
    {
        if (string.IsNullOrWhiteSpace(value)) Add(field, $"{label} is required.");
        else MaxLength(field, value, label, maxLength);
    }

    public void MaxLength(string field, string? value, string label, int maxLength)
    {
        if (value is not null && value.Length > maxLength) Add(field, $"{label} must be at most {maxLength} characters.");
    }

    public void Email(string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return;
        MaxLength(field, value, "Email", 254);
        if (!IsEmail(value)) Add(field, $"'{value}' is not a valid email address.");
    }

    /// <summary>An absolute https URL with a host and no whitespace, at most <paramref name="maxLength"/> characters.</summary>
    public void HttpsUrl(string field, string? value, string label, int maxLength = 500)
    {
        if (string.IsNullOrWhiteSpace(value)) return;
        if (value.Length > maxLength) Add(field, $"{label} must be at most {maxLength} characters.");
        else if (!IsHttpsUrl(value)) Add(field, $"'{value}' is not an https URL such as https://example.com/path.");
    }

    public static bool IsHttpsUrl(string value) =>
        !value.Any(char.IsWhiteSpace) && Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && uri.Scheme == Uri.UriSchemeHttps && uri.Host.Length > 0 && uri.Host.Contains('.');

    /// <summary>One @ with text before it and a dotted domain after it, no whitespace: the shape every write path accepts.</summary>
    public static bool IsEmail(string value)
    {
        var at = value.IndexOf('@');
        return at > 0 && at == value.LastIndexOf('@') && at < value.Length - 1 && value[(at + 1)..].Contains('.') && !value.Any(char.IsWhiteSpace);
    }

    /// <summary>A nested part's messages under its path: <paramref name="prefix"/> ("items[2].") before each field.</summary>
    public void AddNested(string prefix, ValidationErrors nested)
    {
        foreach (var (field, messages) in nested._errors)
            foreach (var message in messages) Add(prefix + field, message);
    }

    public IDictionary<string, string[]> ToDictionary() => _errors.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());
}
