using Switchboard.Features.Ai.Engines;
using Switchboard.Features.Calls;

namespace Switchboard.Features.Ai;

/// <summary>The body of PUT /api/v1/calls/{id}/transcript: the text, or the utterances with their speakers (one of the two).</summary>
public sealed record TranscriptWrite : RequestBody
{
    public Optional<string?> Text { get; init; }
    public Optional<IReadOnlyList<UtteranceWrite>?> Utterances { get; init; }
}

/// <summary>One utterance: speaker "agent" or "contact" (or absent when unknown), start and end in seconds from the call's start, and the words.</summary>
public sealed record UtteranceWrite : RequestBody
{
    public Optional<string?> Speaker { get; init; }
    public Optional<double?> Start { get; init; }
    public Optional<double?> End { get; init; }
    public Optional<string?> Text { get; init; }
}

/// <summary>
/// The one path a transcript takes into a call, whatever brought it (a provider's transcription callback, the API, an AI
/// voice-agent's webhook): the call keeps the text (and the utterances when there were speakers), and the call's
/// analysis is queued in the same unit of work, so a stored transcript is always analysed.
/// </summary>
[Scoped]
public sealed class Transcripts(JobQueue jobs, TimeProvider clock)
{
    public const string AnalyseJob = "ai.analyse";
    public const int MaxTextLength = 200_000;
    public const int MaxUtterances = 5_000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Sets the call's transcript and queues its analysis; the caller saves (and so commits both or neither).</summary>
    public async Task StoreAsync(Call call, string text, IReadOnlyList<Utterance>? utterances, string source, CancellationToken ct)
    {
        call.Transcript = text;
        call.TranscriptUtterances = utterances is null ? null : JsonSerializer.SerializeToDocument(utterances, Json);
        call.TranscriptSource = source;
        call.TranscribedAt = clock.GetUtcNow();
        await QueueAnalysisAsync(call.TenantId, call.Id, $"transcript:{call.TranscribedAt.Value.ToUnixTimeMilliseconds()}", ct);
    }

    /// <summary>Queues an analysis of the call's stored transcript, once per <paramref name="reason"/>.</summary>
    public Task<bool> QueueAnalysisAsync(Guid tenantId, Guid callId, string reason, CancellationToken ct) =>
        jobs.EnqueueAsync(AnalyseJob, new AnalysePayload(callId), tenantId, $"{AnalyseJob}:{callId}:{reason}", ct: ct);

    /// <summary>The call's transcript as the engines read it; null when the call has none.</summary>
    public static TranscriptInput? Read(Call call)
    {
        if (string.IsNullOrWhiteSpace(call.Transcript)) return null;
        var utterances = call.TranscriptUtterances?.Deserialize<List<Utterance>>(Json);
        return new TranscriptInput(call.Transcript, utterances);
    }

    /// <summary>The utterances as text, one per line, each line starting with its speaker ("Agent: …", "Contact: …").</summary>
    public static string TextOf(IEnumerable<Utterance> utterances) =>
        string.Join('\n', utterances.Select(u => u.Speaker switch
        {
            Speakers.Agent => "Agent: " + u.Text,
            Speakers.Contact => "Contact: " + u.Text,
            _ => u.Text,
        }));

    /// <summary>
    /// Reads the body into the text and utterances to store; <paramref name="errors"/> are the body's binding errors, to
    /// which it adds its own (as the API names the fields). Null when invalid.
    /// </summary>
    public static (string Text, IReadOnlyList<Utterance>? Utterances)? Validate(TranscriptWrite body, ValidationErrors errors)
    {
        if (!errors.IsValid) return null;
        var text = body.Text.Value;
        var items = body.Utterances.Value;
        if (text is not null && items is not null)
        {
            errors.Add("text", "Send the text or the utterances, not both.");
            return null;
        }
        if (items is null)
        {
            if (string.IsNullOrWhiteSpace(text)) errors.Add("text", "Send the transcript's text, or its utterances.");
            else if (text.Length > MaxTextLength) errors.Add("text", $"The transcript can be at most {MaxTextLength:N0} characters.");
            return errors.IsValid ? (text!.Trim(), null) : null;
        }
        if (items.Count is 0 or > MaxUtterances) errors.Add("utterances", $"Send between 1 and {MaxUtterances:N0} utterances.");
        var utterances = new List<Utterance>();
        for (var i = 0; i < items.Count && errors.IsValid; i++)
        {
            var item = items[i];
            var path = $"utterances[{i}]";
            var speaker = item.Speaker.Value;
            if (speaker is not null && !Speakers.All.Contains(speaker)) errors.Add($"{path}.speaker", "speaker must be 'agent' or 'contact' (or left out when unknown).");
            if (string.IsNullOrWhiteSpace(item.Text.Value)) errors.Add($"{path}.text", "Each utterance needs its text.");
            var (start, end) = (item.Start.Value, item.End.Value);
            if (start is < 0 || end is < 0) errors.Add($"{path}.start", "Times are seconds from the call's start, 0 or more.");
            else if (start is { } s && end is { } e && e < s) errors.Add($"{path}.end", "end must not be before start.");
            if (errors.IsValid) utterances.Add(new Utterance(speaker, start, end, item.Text.Value!.Trim()));
        }
        if (!errors.IsValid) return null;
        var joined = TextOf(utterances);
        if (joined.Length > MaxTextLength) errors.Add("utterances", $"The transcript can be at most {MaxTextLength:N0} characters.");
        return errors.IsValid ? (joined, utterances) : null;
    }
}

public sealed record AnalysePayload(Guid CallId);
