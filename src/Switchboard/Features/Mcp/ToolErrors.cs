using ModelContextProtocol;

namespace Switchboard.Features.Mcp;

/// <summary>
/// The tool errors (a <see cref="McpException"/>'s message reaches the client as the text of an error result). The first
/// word says the kind, as the API's status code would: not found (404), forbidden (403), invalid (400), conflict
/// (409/412), refused (a compliance block, with its reason).
/// </summary>
public static class ToolErrors
{
    public static McpException NotFound(string noun) => new($"not found: no {noun} with this id is visible to this API key.");

    public static McpException Forbidden(string why) => new($"forbidden: {why}");

    public static McpException Invalid(IDictionary<string, string[]> errors) =>
        new("invalid: " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));

    public static McpException Invalid(string field, string message) => Invalid(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>The outcome's value, or the tool error its problem maps to.</summary>
    public static T ValueOr<T>(this Outcome<T> outcome, string noun) => outcome switch
    {
        Outcome<T>.Ok ok => ok.Value,
        Outcome<T>.NotFound => throw NotFound(noun),
        Outcome<T>.Forbidden forbidden => throw Forbidden(forbidden.Message),
        Outcome<T>.Invalid invalid => throw Invalid(invalid.Errors),
        Outcome<T>.Conflict { Reason: { } reason } conflict => throw new McpException($"refused ({reason}): {conflict.Message}"),
        Outcome<T>.Conflict conflict => throw new McpException($"conflict: {conflict.Message}"),
        Outcome<T>.PreconditionFailed failed => throw new McpException($"conflict: {failed.Message}"),
        _ => throw new InvalidOperationException($"Unknown outcome {outcome.GetType().Name}."),
    };
}

/// <summary>Tool arguments as the services take them.</summary>
public static class ToolArguments
{
    /// <summary>A UUID argument; anything else is an "invalid" error on <paramref name="field"/>.</summary>
    public static Guid Id(string? value, string field) =>
        Guid.TryParse(value, out var id) ? id : throw ToolErrors.Invalid(field, "must be a UUID such as 0192d2a4-5b7e-7c3d-9f10-1a2b3c4d5e6f.");

    public static Guid? OptionalId(string? value, string field) => value is null ? null : Id(value, field);

    /// <summary>
    /// A merge-patch member from an optional argument: absent (null) leaves the field unchanged; text is trimmed and blank
    /// text clears it, as the API reads a JSON body (<see cref="Optional.Text"/>).
    /// </summary>
    public static Optional<string?> Text(string? value) => value is null ? Optional<string?>.Unset : Optional.Text(value);

    public static Optional<T?> Value<T>(T? value) where T : struct => value is null ? Optional<T?>.Unset : Optional.Of<T?>(value);

    public static Optional<Guid?> IdMember(string? value, string field) => value is null ? Optional<Guid?>.Unset : Optional.Of<Guid?>(Id(value, field));
}
