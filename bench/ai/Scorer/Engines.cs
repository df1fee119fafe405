using Switchboard.Features.Ai.Engines;
using Switchboard.Features.Ai.Rules;

namespace Switchboard.Bench.Ai;

/// <summary>The engines the scorer can run, by the name the analysis reports. The LLM engine plugs in here.</summary>
public static class Engines
{
    public static readonly IReadOnlyList<string> Names = ["rules", "llm"];

    /// <summary>The engine, or an error saying why it cannot run.</summary>
    public static (IAnalysisEngine? Engine, string? Error) Create(string name) => name switch
    {
        "rules" => (new RulesEngine(), null),
        "llm" => (null, "the llm engine is not available yet"),
        _ => (null, $"unknown engine '{name}'; known: {string.Join(", ", Names)}"),
    };
}
