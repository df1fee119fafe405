using Switchboard.Features.Ai.Engines;
using Switchboard.Features.Ai.Llm;
using Switchboard.Features.Ai.Rules;

namespace Switchboard.Bench.Ai;

/// <summary>The engines the scorer can run, by the name the analysis reports.</summary>
public static class Engines
{
    public static readonly IReadOnlyList<string> Names = ["rules", "llm"];

    /// <summary>The engine, or an error saying why it cannot run.</summary>
    public static (IAnalysisEngine? Engine, string? Error) Create(string name) => name switch
    {
        "rules" => (new RulesEngine(), null),
        "llm" => Llm(),
        _ => (null, $"unknown engine '{name}'; known: {string.Join(", ", Names)}"),
    };

    /// <summary>
    /// The LLM engine's prompt and schema (the product's <see cref="LlmAnalyst"/>) against the model the app's own
    /// configuration names: AI__Endpoint, AI__Model and AI__ApiKey, with AI__TimeoutSeconds and AI__MaxRetries.
    /// </summary>
    private static (IAnalysisEngine?, string?) Llm()
    {
        var options = new AiOptions
        {
            Endpoint = Environment.GetEnvironmentVariable("AI__Endpoint"),
            Model = Environment.GetEnvironmentVariable("AI__Model"),
            ApiKey = Environment.GetEnvironmentVariable("AI__ApiKey"),
        };
        if (int.TryParse(Environment.GetEnvironmentVariable("AI__TimeoutSeconds"), out var timeout)) options.TimeoutSeconds = timeout;
        if (int.TryParse(Environment.GetEnvironmentVariable("AI__MaxRetries"), out var retries)) options.MaxRetries = retries;
        if (string.IsNullOrWhiteSpace(options.Endpoint) || string.IsNullOrWhiteSpace(options.Model))
            return (null, "the llm engine needs a model: set AI__Endpoint (an OpenAI-compatible base URL), AI__Model and AI__ApiKey");
        if (options.Problems().FirstOrDefault() is { } problem) return (null, problem);

        var target = LlmTargets.Configured(options)!;
        return (new LlmAnalyst(LlmChatClients.Create(target, options, http: null), target.Model, options), null);
    }
}
