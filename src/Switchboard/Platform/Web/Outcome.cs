namespace Switchboard.Platform.Web;

/// <summary>What a feature service returns for a use case; endpoints and pages map it to their own responses.</summary>
public abstract record Outcome<T>
{
    public sealed record Ok(T Value) : Outcome<T>;
    public sealed record NotFound : Outcome<T>;
    public sealed record Forbidden(string Message) : Outcome<T>;
    public sealed record Invalid(IDictionary<string, string[]> Errors) : Outcome<T>
    {
        /// <summary>Every field's messages as one text, for a page that shows them together (a flash, a note on a form).</summary>
        public string Summary => string.Join(" ", Errors.Values.SelectMany(messages => messages));
    }
    public sealed record Conflict(string Message) : Outcome<T>
    {
        /// <summary>A machine-readable reason, sent as the problem's "reason" member (e.g. dnc, calling-hours).</summary>
        public string? Reason { get; init; }
    }
    public sealed record PreconditionFailed(string Message) : Outcome<T>;

    public static implicit operator Outcome<T>(T value) => new Ok(value);

    /// <summary>What went wrong, as one text for a person (a flash, a note on a form); null for success.</summary>
    public string? Problem => this switch
    {
        Invalid invalid => invalid.Summary,
        Conflict conflict => conflict.Message,
        Forbidden forbidden => forbidden.Message,
        PreconditionFailed failed => failed.Message,
        NotFound => "It was not found; it may have been deleted.",
        _ => null,
    };
}

public static class OutcomeHttp
{
    /// <summary>The success response built by <paramref name="onOk"/>, or the problem response for any other outcome.</summary>
    public static IResult ToResult<T>(this Outcome<T> outcome, Func<T, IResult> onOk) =>
        outcome is Outcome<T>.Ok ok ? onOk(ok.Value) : outcome.ToProblem();

    /// <summary>The problem response for any non-success outcome.</summary>
    public static IResult ToProblem<T>(this Outcome<T> outcome) => outcome switch
    {
        Outcome<T>.NotFound => Problems.NotFound(),
        Outcome<T>.Forbidden f => Problems.Forbidden(f.Message),
        Outcome<T>.Invalid i => Problems.Invalid(i.Errors),
        Outcome<T>.Conflict c => Problems.Conflict(c.Message, c.Reason is null ? null : new Dictionary<string, object?> { ["reason"] = c.Reason }),
        Outcome<T>.PreconditionFailed p => Problems.PreconditionFailed(p.Message),
        _ => throw new InvalidOperationException("A successful outcome has no problem response."),
    };
}
