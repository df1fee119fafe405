using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Switchboard.Tests.Features.Ai;

/// <summary>
/// A local stand-in for an OpenAI-compatible model endpoint on 127.0.0.1 with a random port. It speaks the real
/// chat-completions protocol — <c>POST {base}/chat/completions</c> with a Bearer key, a <c>json_schema</c> response
/// format, <c>chat.completion</c> answers with token usage, OpenAI-shaped error bodies — and records every request so a
/// test can see exactly what was sent where. What it answers is the test's: <see cref="Answer"/> builds the model's JSON
/// from the request; faults (an error status, a slow answer, an answer outside the schema) can be queued per request.
/// </summary>
public sealed class FakeChatCompletionsServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<Fault> faults = new();
    private readonly ConcurrentQueue<ReceivedRequest> received = new();

    /// <summary>A request as it arrived: the key, the model, the messages by role, the response format, the whole body.</summary>
    public sealed record ReceivedRequest(string? Authorization, string Model, IReadOnlyList<(string Role, string Content)> Messages, JsonNode? ResponseFormat, JsonNode Body)
    {
        /// <summary>The user message parsed as the JSON document the LLM engine sends (call, pendingTasks, transcript).</summary>
        public JsonNode UserDocument => JsonNode.Parse(Messages.Single(m => m.Role == "user").Content)!;
    }

    public abstract record Fault;
    /// <summary>An error status with an OpenAI-shaped error body (and retry-after-ms, so retries do not wait).</summary>
    public sealed record Status(int Code, string Message) : Fault;
    /// <summary>Waits this long before answering normally (a request timeout abandons it).</summary>
    public sealed record Slow(TimeSpan Delay) : Fault;
    /// <summary>Answers 200 with content that is not the schema's JSON.</summary>
    public sealed record OffSchema(string Content) : Fault;

    private FakeChatCompletionsServer(WebApplication app) => this.app = app;

    /// <summary>The base URL to configure, ending in /v1 as OpenAI's does.</summary>
    public Uri BaseUrl { get; private set; } = null!;
    public IReadOnlyList<ReceivedRequest> Received => [.. received];

    /// <summary>The model's answer (the JSON the schema asks for) to a request; by default an empty analysis.</summary>
    public Func<ReceivedRequest, object> Answer { get; set; } = _ => EmptyAnalysis("A short call.");

    public int PromptTokens { get; set; } = 1_200;
    public int CompletionTokens { get; set; } = 300;

    public static object EmptyAnalysis(string summary) =>
        new { summary, sentiment = "neutral", customerRequests = Array.Empty<object>(), commitments = Array.Empty<object>(), actionItems = Array.Empty<object>(), fulfilled = Array.Empty<object>() };

    public static async Task<FakeChatCompletionsServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var server = new FakeChatCompletionsServer(builder.Build());
        server.app.MapPost("/v1/chat/completions", server.HandleAsync);
        await server.app.StartAsync();
        server.BaseUrl = new Uri(server.app.Urls.Single() + "/v1");
        return server;
    }

    public void Enqueue(Fault fault) => faults.Enqueue(fault);

    public void Reset()
    {
        received.Clear();
        faults.Clear();
        Answer = _ => EmptyAnalysis("A short call.");
    }

    private async Task HandleAsync(HttpContext http)
    {
        var body = (await JsonNode.ParseAsync(http.Request.Body))!;
        var messages = body["messages"]!.AsArray().Select(m => (m!["role"]!.GetValue<string>(), ContentOf(m["content"]))).ToList();
        var request = new ReceivedRequest(http.Request.Headers.Authorization.ToString(), body["model"]?.GetValue<string>() ?? "", messages, body["response_format"]?.DeepClone(), body);
        received.Enqueue(request);

        string content;
        switch (faults.TryDequeue(out var fault) ? fault : null)
        {
            case Status status:
                http.Response.StatusCode = status.Code;
                http.Response.Headers["retry-after-ms"] = "10";
                await http.Response.WriteAsJsonAsync(new { error = new { message = status.Message, type = "server_error", param = (string?)null, code = (string?)null } });
                return;
            case Slow slow:
                try
                {
                    await Task.Delay(slow.Delay, http.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                content = JsonSerializer.Serialize(Answer(request), JsonSerializerOptions.Web);
                break;
            case OffSchema off:
                content = off.Content;
                break;
            default:
                content = JsonSerializer.Serialize(Answer(request), JsonSerializerOptions.Web);
                break;
        }
        await http.Response.WriteAsJsonAsync(new
        {
            id = "chatcmpl-" + Guid.NewGuid().ToString("N"),
            @object = "chat.completion",
            created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            model = request.Model,
            choices = new[] { new { index = 0, message = new { role = "assistant", content, refusal = (string?)null }, logprobs = (object?)null, finish_reason = "stop" } },
            usage = new { prompt_tokens = PromptTokens, completion_tokens = CompletionTokens, total_tokens = PromptTokens + CompletionTokens },
        });
    }

    /// <summary>A message's content: a string, or an array of text parts.</summary>
    private static string ContentOf(JsonNode? content) => content switch
    {
        JsonValue value => value.GetValue<string>(),
        JsonArray parts => string.Concat(parts.Select(p => p?["text"]?.GetValue<string>() ?? "")),
        _ => "",
    };

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
