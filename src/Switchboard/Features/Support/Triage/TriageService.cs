using Switchboard.Features.Ai.Llm;

namespace Switchboard.Features.Support.Triage;

/// <summary>The body of POST /api/v1/support/triage: one email to triage as if it had just arrived.</summary>
public sealed record TriageRequest : RequestBody
{
    public string? Subject { get; init; }
    public string? Body { get; init; }
    public string? FromName { get; init; }
    public string? FromAddress { get; init; }
}

/// <summary>
/// Triages one inbound support email: by the tenant's model when one is configured (purpose support-triage, through
/// <see cref="LlmEngine"/> with its budget and ledger), else — or when the model fails, times out, answers outside the
/// schema or the budget is spent — by <see cref="RulesTriage"/>, saying why. Whatever the model proposes passes
/// <see cref="TriageChecks"/>; where a check rejects a field, the rules engine's value stands and a note says so.
/// </summary>
[Scoped]
public sealed class TriageService(SupportSettingsService settings, LlmEngine llm, IOptions<AiOptions> aiOptions, TenantContext ctx)
{
    public const string Purpose = "support-triage";
    public const int MaxSubject = 1_000;
    public const int MaxBody = 100_000;

    public async Task<Outcome<TriageResult>> TryAsync(TriageRequest body, CancellationToken ct)
    {
        if (ctx.Role is not (TenantRole.Agent or TenantRole.Manager or TenantRole.Admin or TenantRole.Superadmin))
            return new Outcome<TriageResult>.Forbidden("Agents and above can triage support email.");
        var errors = body.BindingErrors();
        if (string.IsNullOrWhiteSpace(body.Subject) && string.IsNullOrWhiteSpace(body.Body)) errors.Add("body", "Give a subject or a body.");
        errors.MaxLength("subject", body.Subject, "The subject", MaxSubject);
        errors.MaxLength("body", body.Body, "The body", MaxBody);
        errors.MaxLength("fromName", body.FromName, "The sender's name", 200);
        errors.Email("fromAddress", body.FromAddress);
        if (!errors.IsValid) return new Outcome<TriageResult>.Invalid(errors.ToDictionary());
        var input = new TriageInput(body.Subject ?? "", body.Body ?? "", body.FromName, body.FromAddress, await settings.ConfigurationAsync(ct));
        return await TriageAsync(input, ct);
    }

    public async Task<TriageResult> TriageAsync(TriageInput input, CancellationToken ct)
    {
        var rules = RulesTriage.Run(input);
        var reply = await llm.AskAsync(Purpose, null,
            (client, model, request, c) => LlmTriage.AskAsync(client, model, input, request, aiOptions.Value.MaxOutputTokens, c), ct);
        return reply switch
        {
            LlmReply<LlmTriage.Answer>.Answered answered => Checked(answered.Value, answered.Model, input, rules),
            LlmReply<LlmTriage.Answer>.FellBack fellBack => rules with { Fallback = fellBack.Reason },
            _ => rules,
        };
    }

    /// <summary>The model's answer after the checks: what is not grounded or not allowed gives way to the rules engine's.</summary>
    public static TriageResult Checked(LlmTriage.Answer answer, string model, TriageInput input, TriageResult rules)
    {
        static string Clip(string? text, int max) => (text ?? "").Trim() is var t && t.Length > max ? t[..max] : t;
        var notes = new List<string>();
        var proposed = (answer.Reasons ?? [])
            .Where(r => r is not null && !string.IsNullOrWhiteSpace(r.What))
            .Select(r => new TriageReason(
                TriageAbout.All.Contains(r.About?.Trim().ToLowerInvariant()) ? r.About!.Trim().ToLowerInvariant() : TriageAbout.Category,
                Clip(r.What, 200), Clip(r.Quote, 1_000)))
            .ToList();
        var (reasons, dropped) = TriageChecks.Ground(proposed, input.Subject, input.Body);

        var category = input.Settings.CategoryNames.FirstOrDefault(n => string.Equals(n, answer.Category?.Trim(), StringComparison.OrdinalIgnoreCase));
        if (category is null)
        {
            category = rules.Category;
            notes.Add($"the model's category \"{Clip(answer.Category, 60)}\" is not one of the tenant's; the rules engine's \"{category}\" stands");
        }

        var priority = TriagePriorities.All.FirstOrDefault(p => p == answer.Priority?.Trim().ToLowerInvariant());
        if (priority is null)
        {
            priority = rules.Priority;
            notes.Add($"the model's priority \"{Clip(answer.Priority, 60)}\" is not a priority; the rules engine's \"{priority}\" stands");
        }
        else if (TriagePriorities.Rank(priority) > TriagePriorities.Rank(TriagePriorities.Normal) && !reasons.Any(r => r.About == TriageAbout.Priority))
        {
            notes.Add($"the model's priority \"{priority}\" has no grounded reason; the rules engine's \"{rules.Priority}\" stands");
            priority = rules.Priority;
        }

        var sentiment = Ai.Engines.Sentiments.All.FirstOrDefault(s => s == answer.Sentiment?.Trim().ToLowerInvariant()) ?? rules.Sentiment;

        var suggested = Clip(answer.SuggestedReply, 4_000);
        if (TriageChecks.ReplyProblem(suggested, input.Subject, input.Body, input.FromName, input.Settings.ReplyTemplates.Values) is { } problem)
        {
            notes.Add(problem + "; the template reply replaces it");
            suggested = ReplyTemplates.Render(input.Settings.TemplateFor(category), EmailText.FirstName(input.FromName, input.FromAddress), input.TicketReference);
        }
        return new TriageResult(TriageEngines.Llm, model, null, category, priority, sentiment, suggested, reasons, dropped, notes, input.Settings.SlaFor(priority));
    }
}
