namespace Switchboard.Features.Ai.Llm;

/// <summary>
/// The configuration section "AI": the deployment's own model, the last fallback after a tenant's and the platform's
/// settings (<c>AI__Endpoint</c>, <c>AI__ApiKey</c>, <c>AI__Model</c>), and how patient every LLM request is.
/// </summary>
public sealed class AiOptions : IValidatedOptions
{
    public const string Section = "AI";

    /// <summary>An OpenAI-compatible base URL, e.g. https://api.openai.com/v1; blank = no configured model.</summary>
    public string? Endpoint { get; set; }
    public string? ApiKey { get; set; }
    public string? Model { get; set; }
    /// <summary>
    /// The configured endpoint runs inside the deployment (a self-hosted model): tenants that never send transcripts to
    /// an external model may still use it.
    /// </summary>
    public bool Internal { get; set; }
    /// <summary>How long one request may take before it is abandoned (and retried).</summary>
    public int TimeoutSeconds { get; set; } = 30;
    /// <summary>Retries after a failed request (429, 5xx, a timeout), with the client's exponential back-off.</summary>
    public int MaxRetries { get; set; } = 2;
    /// <summary>The most output tokens one answer may use.</summary>
    public int MaxOutputTokens { get; set; } = 2_000;

    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);

    /// <summary>The most one request may take, retries and their back-off included: every attempt's timeout and 2 s per retry.</summary>
    public TimeSpan Deadline => TimeSpan.FromSeconds(TimeoutSeconds * (MaxRetries + 1) + 2 * MaxRetries);

    public IEnumerable<string> Problems()
    {
        if (!string.IsNullOrWhiteSpace(Endpoint) && !Uri.TryCreate(Endpoint, UriKind.Absolute, out _))
            yield return $"AI:Endpoint '{Endpoint}' is not an absolute URL.";
        if (!string.IsNullOrWhiteSpace(Endpoint) && string.IsNullOrWhiteSpace(Model))
            yield return "AI:Model is required when AI:Endpoint is set.";
        if (TimeoutSeconds is < 1 or > 600) yield return "AI:TimeoutSeconds must be between 1 and 600.";
        if (MaxRetries is < 0 or > 5) yield return "AI:MaxRetries must be between 0 and 5.";
        if (MaxOutputTokens is < 100 or > 32_000) yield return "AI:MaxOutputTokens must be between 100 and 32000.";
    }
}
