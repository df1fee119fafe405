using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Serialization;

namespace Switchboard.Platform.Web;

/// <summary>
/// The base of every typed API request body. Its members are <see cref="Optional{T}"/>, so a body knows which members
/// were sent (JSON merge patch: absent = unchanged, null = clear). Reading a body never throws for a client's mistake:
/// members the type does not have and values of the wrong type are kept and reported together by
/// <see cref="BindingErrors"/>, each under the member's name, so one 400 lists every problem. The API binds bodies
/// with <c>[FromBody]</c>; the form pages build the same records with <see cref="Optional.Text"/> and
/// <see cref="Optional.Of{T}"/>.
/// </summary>
public abstract record RequestBody
{
    private static readonly ConcurrentDictionary<Type, Member[]> MembersByType = new();

    /// <summary>Members the body does not have (kept only to report them; never described in the OpenAPI document).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? UnknownMembers { get; init; }

    /// <summary>What was wrong with the body as sent: unknown members and values of the wrong type, nested members by path.</summary>
    public ValidationErrors BindingErrors()
    {
        var errors = new ValidationErrors();
        AddBindingErrors(errors, "");
        return errors;
    }

    private void AddBindingErrors(ValidationErrors errors, string prefix)
    {
        foreach (var name in UnknownMembers?.Keys ?? Enumerable.Empty<string>())
            errors.Add(prefix + name, $"'{name}' is not a known field.");
        foreach (var member in MembersByType.GetOrAdd(GetType(), MembersOf))
        {
            var value = (IOptional)member.Property.GetValue(this)!;
            if (value.Error is { } error) errors.Add(prefix + member.Name, $"'{member.Name}' {error}.");
            else if (value.BoxedValue is RequestBody nested) nested.AddBindingErrors(errors, $"{prefix}{member.Name}.");
            else if (value.BoxedValue is IEnumerable<RequestBody> items)
            {
                var index = 0;
                foreach (var item in items)
                {
                    var path = $"{member.Name}[{index++}]";
                    // [null] reads as a list holding null: an item that is not an object, reported like any other.
                    if (item is null) errors.Add(prefix + path, $"'{path}' must be an object.");
                    else item.AddBindingErrors(errors, $"{prefix}{path}.");
                }
            }
        }
    }

    private static Member[] MembersOf(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.PropertyType.IsGenericType && p.PropertyType.GetGenericTypeDefinition() == typeof(Optional<>))
            .Select(p => new Member(p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(p.Name), p))
            .ToArray();

    private sealed record Member(string Name, PropertyInfo Property);
}
