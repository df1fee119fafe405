using System.ClientModel;
using System.ClientModel.Primitives;
using System.Diagnostics;
using Microsoft.Extensions.AI;
using OpenAI;
using Switchboard.Features.Ai.Engines;

namespace Switchboard.Features.Ai.Llm;

/// <summary>What came of asking the tenant's model: its answer, or why the rules engine answers instead.</summary>
public abstract record LlmReply<T>
{
    /// <summary>The model answered within the schema.</summary>
    public sealed record Answered(T Value, string Model) : LlmReply<T>;

    /// <summary>No model is used for this tenant (off, none configured, never external): the rules engine is the engine.</summary>
    public sealed record NotUsed(string Why) : LlmReply<T>;

    /// <summary>A model was configured but did not answer in time, failed, answered outside the schema, or the budget is spent.</summary>
    public sealed record FellBack(string Reason) : LlmReply<T>;
}

/// <summary>One request in flight: the tokens the endpoint said it used, answer or not, for the ledger.</summary>
public sealed class LlmRequest
{
    public (long Input, long Output) Tokens { get; set; }
}

/// <summary>The one way Switchboard asks a model: instructions, a JSON document as data, an answer in a JSON schema.</summary>
public static class LlmStructuredAnswers
{
    /// <summary>
    /// Sends the instructions (system) and the document (user) and asks for a <typeparamref name="T"/> as structured
    /// output; records the tokens on <paramref name="request"/> (when there is one) and throws
    /// <see cref="LlmAnswerException"/> when the answer does not match the schema.
    /// </summary>
    public static async Task<T> AskForAsync<T>(
        this IChatClient client, string instructions, string document, ChatOptions options, LlmRequest? request, CancellationToken ct) where T : class
    {
        var response = await client.GetResponseAsync<T>(
            [new ChatMessage(ChatRole.System, instructions), new ChatMessage(ChatRole.User, document)],
            JsonSerializerOptions.Web, options, useJsonSchemaResponseFormat: true, ct);
        if (request is not null) request.Tokens = (response.Usage?.InputTokenCount ?? 0, response.Usage?.OutputTokenCount ?? 0);
        return response.TryGetResult(out var answer) && answer is not null ? answer : throw new LlmAnswerException("The model's answer did not match the schema.");
    }
}

/// <summary>
/// The LLM engine for the current tenant: finds its model (<see cref="LlmTargets"/>), keeps its monthly token budget,
/// sends the request through <c>Microsoft.Extensions.AI</c> to the OpenAI-compatible endpoint with a timeout and
/// retries (<see cref="LlmChatClients"/>), and writes every request down (<see cref="LlmUsageLedger"/>). A model's
/// failure is never an exception here: the caller falls back to the rules engine and says so.
/// </summary>
[Scoped]
public sealed partial class LlmEngine(
    LlmTargets targets, LlmUsageLedger ledger, LlmChatClients clients, IOptions<AiOptions> options, ILogger<LlmEngine> log)
{
    /// <summary>The call's analysis by the tenant's model.</summary>
    public Task<LlmReply<EngineResult>> AnalyseAsync(TranscriptInput transcript, AnalysisContext context, Guid callId, CancellationToken ct) =>
        AskAsync(LlmPurposes.Analysis, callId, (client, model, request, c) => new LlmAnalyst(client, model, options.Value, request).AnalyseAsync(transcript, context, c), ct);

    /// <summary>
    /// One request for <paramref name="purpose"/>: the model, the budget, the request with its deadline and retries, the
    /// ledger row. <paramref name="maxWait"/> shortens the deadline for a caller someone is waiting on (a page).
    /// </summary>
    public async Task<LlmReply<T>> AskAsync<T>(
        string purpose, Guid? callId, Func<IChatClient, string, LlmRequest, CancellationToken, Task<T>> ask, CancellationToken ct, TimeSpan? maxWait = null)
    {
        var (target, unavailable, budget) = await targets.ResolveAsync(ct);
        if (target is null) return new LlmReply<T>.NotUsed(unavailable!);

        if (await ledger.TokensThisMonthAsync(ct) >= budget)
        {
            await ledger.RecordAsync(purpose, target, LlmOutcomes.Budget, (0, 0), TimeSpan.Zero, callId, ct);
            return new LlmReply<T>.FellBack($"this month's budget of {budget:N0} tokens is spent");
        }

        var request = new LlmRequest();
        var started = Stopwatch.GetTimestamp();
        // Each attempt has AI:TimeoutSeconds (the client's network timeout); this caps the whole request, retries included.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(maxWait is { } wait && wait < options.Value.Deadline ? wait : options.Value.Deadline);
        string outcome, reason;
        try
        {
            var value = await ask(clients.For(target), target.Model, request, deadline.Token);
            await ledger.RecordAsync(purpose, target, LlmOutcomes.Ok, request.Tokens, Stopwatch.GetElapsedTime(started), callId, ct);
            return new LlmReply<T>.Answered(value, target.Model);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            (outcome, reason) = Classify(e);
            if (outcome == LlmOutcomes.Error && reason == UnexpectedFailure) LogUnexpected(e, purpose);
        }
        LogFellBack(purpose, target.Source, target.Model, reason);
        await ledger.RecordAsync(purpose, target, outcome, request.Tokens, Stopwatch.GetElapsedTime(started), callId, ct);
        return new LlmReply<T>.FellBack(reason);
    }

    private const string UnexpectedFailure = "the model's client failed";

    /// <summary>
    /// What a failed request was. The client's retry policy wraps the attempts' failures in an AggregateException
    /// ("Retry failed after N tries"); the last attempt's failure says what happened.
    /// </summary>
    private (string Outcome, string Reason) Classify(Exception e) => e switch
    {
        AggregateException { InnerExceptions: [.., var last] } => Classify(last),
        OperationCanceledException => (LlmOutcomes.Timeout, $"the model did not answer in time ({options.Value.TimeoutSeconds} s per attempt, {options.Value.MaxRetries} retries)"),
        ClientResultException { Status: > 0 } failed => (LlmOutcomes.Error, $"the model's endpoint answered {failed.Status}"),
        ClientResultException or HttpRequestException or IOException => (LlmOutcomes.Error, "the model's endpoint could not be reached"),
        LlmAnswerException or JsonException => (LlmOutcomes.Invalid, "the model's answer did not match the schema"),
        _ => (LlmOutcomes.Error, UnexpectedFailure),
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "The LLM request for {Purpose} failed unexpectedly; the rules engine answers instead")]
    private partial void LogUnexpected(Exception exception, string purpose);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The LLM ({Source} model {Model}) failed for {Purpose}: {Reason}; the rules engine answers instead")]
    private partial void LogFellBack(string purpose, string source, string model, string reason);
}

/// <summary>
/// Chat clients for a model: the official OpenAI client behind <c>Microsoft.Extensions.AI</c>, with the configured
/// timeout per attempt and retries (429, 5xx, timeouts; exponential back-off, honouring retry-after). A tenant's own
/// endpoint is reached only through the <see cref="PrivateNetworkGuard"/>; the platform's and the configured one are
/// the operator's choice and may be on the deployment's own network (a self-hosted model).
/// </summary>
[Singleton]
public sealed class LlmChatClients(IHttpClientFactory http, IOptions<AiOptions> options)
{
    public const string GuardedClient = "llm-tenant";
    public const string OperatorClient = "llm-operator";

    public IChatClient For(LlmTarget target) =>
        Create(target, options.Value, http.CreateClient(target.Source == LlmSources.Tenant ? GuardedClient : OperatorClient));

    /// <summary>The client for a model; <paramref name="http"/> null uses the OpenAI client's own transport (bench/ai's scorer).</summary>
    public static IChatClient Create(LlmTarget target, AiOptions options, HttpClient? http)
    {
        var clientOptions = new OpenAIClientOptions
        {
            Endpoint = target.Endpoint,
            NetworkTimeout = options.Timeout,
            RetryPolicy = new ClientRetryPolicy(options.MaxRetries),
        };
        if (http is not null) clientOptions.Transport = new HttpClientPipelineTransport(http);
        // Some self-hosted endpoints want no key; the client needs one, and an unused one is harmless.
        var key = new ApiKeyCredential(string.IsNullOrEmpty(target.ApiKey) ? "none" : target.ApiKey);
        return new OpenAI.Chat.ChatClient(target.Model, key, clientOptions).AsIChatClient();
    }

    public static void Register(IServiceCollection services)
    {
        // The pipeline's NetworkTimeout limits each attempt; the HttpClient's own timeout stays out of its way.
        services.AddHttpClient(GuardedClient, c => c.Timeout = Timeout.InfiniteTimeSpan).WithPrivateNetworkGuard();
        services.AddHttpClient(OperatorClient, c => c.Timeout = Timeout.InfiniteTimeSpan);
    }
}
