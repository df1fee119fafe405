using System.Text.Json.Serialization;

namespace Switchboard.Platform.Web;

/// <summary>What the request-body kit needs of any <see cref="Optional{T}"/>, whatever its T.</summary>
internal interface IOptional
{
    bool IsSet { get; }
    string? Error { get; }
    object? BoxedValue { get; }
}

/// <summary>
/// A member of a JSON merge patch (RFC 7396): absent (<see cref="IsSet"/> false: leave unchanged), present as null
/// (set, <see cref="Value"/> null: clear), or present with a value. A value of the wrong type does not throw while the
/// body is read: it becomes an unset member with an <see cref="Error"/>, which <see cref="RequestBody"/> reports under
/// the member's name together with every other problem of the body.
/// </summary>
[JsonConverter(typeof(OptionalJsonConverterFactory))]
public readonly record struct Optional<T>(bool IsSet, T Value) : IOptional
{
    public static Optional<T> Unset => default;

    public static Optional<T> Of(T value) => new(true, value);

    /// <summary>Why the member's value could not be read, phrased to follow its name ("must be a string").</summary>
    public string? Error { get; init; }

    /// <summary>Whether the member was in the body at all, even with a value of the wrong type (reported, so never defaulted).</summary>
    public bool Sent => IsSet || Error is not null;

    object? IOptional.BoxedValue => Value;

    internal static Optional<T> Invalid(string error) => new(false, default!) { Error = error };
}

public static class Optional
{
    public static Optional<T> Of<T>(T value) => Optional<T>.Of(value);

    /// <summary>Text as the API stores it: trimmed, and blank read as null (the same rule for JSON bodies and forms).</summary>
    public static Optional<string?> Text(string? value) => Optional<string?>.Of(Normalize(value));

    internal static string? Normalize(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>
    /// A number typed into a form, read as the API reads a JSON member: a blank field is null (cleared), and text that is
    /// not a whole number becomes the same binding error the API gives, so the page names the mistake the same way.
    /// </summary>
    public static Optional<int?> WholeNumber(string? posted)
    {
        var text = Normalize(posted);
        return int.TryParse(text, out var value) ? Of<int?>(value) : JsonSerializer.Deserialize<Optional<int?>>(JsonSerializer.Serialize(text));
    }

    /// <summary>A string restricted to a fixed set of values (an enum on the wire); another value is an error on <paramref name="name"/>.</summary>
    public static Optional<string?> OneOf(this Optional<string?> member, string name, IReadOnlyCollection<string> values, ValidationErrors errors)
    {
        if (member is not { IsSet: true, Value: { } value } || values.Contains(value)) return member;
        errors.Add(name, $"'{value}' is not a valid {name}. Use one of: {string.Join(", ", values)}.");
        return Optional<string?>.Unset;
    }
}

/// <summary>Creates the converter of each <see cref="Optional{T}"/>.</summary>
public sealed class OptionalJsonConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(Optional<>);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(OptionalJsonConverter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]))!;
}

/// <summary>
/// Reads one member's value. The serializer calls it only for members present in the body, so an absent member keeps
/// the default (unset) value. Values are read from a parsed element, so a wrong type never leaves the reader midway.
/// </summary>
internal sealed class OptionalJsonConverter<T> : JsonConverter<Optional<T>>
{
    private static readonly Type Target = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
    private static readonly bool AcceptsNull = !typeof(T).IsValueType || Nullable.GetUnderlyingType(typeof(T)) is not null;

    public override bool HandleNull => true;

    public override Optional<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var element = JsonElement.ParseValue(ref reader);
        if (element.ValueKind == JsonValueKind.Null)
            return AcceptsNull ? Optional<T>.Of(default!) : Optional<T>.Invalid("cannot be null");
        if (Target == typeof(string))
        {
            // Blank text is a value (null), unlike a value of the wrong kind.
            if (element.ValueKind != JsonValueKind.String) return Optional<T>.Invalid("must be a string");
            return JsonValues.TextOf(element) is { } text ? Optional<T>.Of((T)(object?)Optional.Normalize(text)!) : Optional<T>.Invalid("is not valid text");
        }
        // A blank date clears it, as the date inputs of the forms do.
        if (Target == typeof(DateOnly) && AcceptsNull && element.ValueKind == JsonValueKind.String && string.IsNullOrWhiteSpace(JsonValues.TextOf(element)))
            return Optional<T>.Of(default!);
        // Objects and arrays are read whole: none of their strings or names may be anything but text.
        if (element.ValueKind is JsonValueKind.Object or JsonValueKind.Array && JsonValues.FirstInvalidText(element) is { } where)
            return Optional<T>.Invalid($"holds something that is not valid text{(where.Length > 0 ? " at " + where : "")}");
        if (Target == typeof(JsonElement) && element.ValueKind == JsonValueKind.String && JsonValues.TextOf(element) is null)
            return Optional<T>.Invalid("is not valid text");
        if (JsonValues.Scalars.TryGetValue(Target, out var scalar))
            return scalar.Read(element) is { } value ? Optional<T>.Of((T)value) : Optional<T>.Invalid(scalar.Error);
        try
        {
            // A null among strings is not a string: refused here once, not by each service reading a list of them.
            return element.Deserialize(Target, options) is { } value && !(value is IEnumerable<string?> texts && texts.Contains(null))
                ? Optional<T>.Of((T)value)
                : Optional<T>.Invalid(ShapeError);
        }
        catch (JsonException)
        {
            return Optional<T>.Invalid(ShapeError);
        }
    }

    public override void Write(Utf8JsonWriter writer, Optional<T> value, JsonSerializerOptions options)
    {
        if (value.IsSet) JsonSerializer.Serialize(writer, value.Value, options);
        else writer.WriteNullValue();
    }

    private static string ShapeError =>
        Target.IsEnum ? "is not one of the allowed values"
        : typeof(IEnumerable<string>).IsAssignableFrom(Target) ? "must be an array of strings"
        : typeof(System.Collections.IEnumerable).IsAssignableFrom(Target) ? "must be an array"
        : "must be an object";
}

/// <summary>How each scalar member type is read from JSON, and what a value of the wrong kind is told.</summary>
internal static class JsonValues
{
    public sealed record Scalar(Func<JsonElement, object?> Read, string Error);

    public static readonly IReadOnlyDictionary<Type, Scalar> Scalars = new Dictionary<Type, Scalar>
    {
        [typeof(JsonElement)] = new(e => e.Clone(), ""),
        [typeof(bool)] = new(e => e.ValueKind is JsonValueKind.True or JsonValueKind.False ? e.GetBoolean() : null, "must be true or false"),
        [typeof(int)] = new(e => e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var n) ? n : null, "must be a whole number"),
        [typeof(decimal)] = new(e => e.ValueKind == JsonValueKind.Number && e.TryGetDecimal(out var d) ? d : null, "must be a number"),
        [typeof(Guid)] = new(e => e.ValueKind == JsonValueKind.String && Guid.TryParse(TextOf(e), out var id) ? id : null, "must be a UUID"),
        [typeof(DateOnly)] = new(e => e.ValueKind == JsonValueKind.String
            && DateOnly.TryParseExact(TextOf(e), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null,
            "must be a date written YYYY-MM-DD"),
        [typeof(DateTimeOffset)] = new(e => e.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(TextOf(e), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant) ? instant : null,
            "must be a date and time such as 2026-03-01T14:30:00Z"),
    };

    /// <summary>
    /// Where in <paramref name="value"/> a string or a member name is not text ("monday.start", "[2]", "" for the value
    /// itself), or null when all of it is. Such a value is valid JSON but throws wherever it is read as a string.
    /// </summary>
    public static string? FirstInvalidText(JsonElement value, string path = "")
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return TextOf(value) is null ? path : null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in value.EnumerateArray())
                    if (FirstInvalidText(item, $"{path}[{index++}]") is { } inItem) return inItem;
                return null;
            case JsonValueKind.Object:
                foreach (var member in value.EnumerateObject())
                {
                    string name;
                    try
                    {
                        name = member.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        return path;
                    }
                    if (FirstInvalidText(member.Value, path.Length == 0 ? name : $"{path}.{name}") is { } inMember) return inMember;
                }
                return null;
            default:
                return null;
        }
    }

    /// <summary>The string's text, or null when it escapes an unpaired surrogate ("\udc00"): valid JSON, but not text.</summary>
    public static string? TextOf(JsonElement value)
    {
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
