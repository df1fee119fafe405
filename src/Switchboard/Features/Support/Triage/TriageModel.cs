namespace Switchboard.Features.Support.Triage;

/// <summary>One inbound support email to triage, with the tenant's settings it is judged by.</summary>
public sealed record TriageInput(
    string Subject, string Body, string? FromName, string? FromAddress, SupportConfiguration Settings, string? TicketReference = null);

/// <summary>
/// What triage made of one email. <paramref name="Engine"/> rules or llm; <paramref name="Fallback"/> why the rules
/// engine answered although a model was configured; <paramref name="Category"/> one of the tenant's categories or
/// "other"; every reason quotes the email (<paramref name="DroppedReasons"/> counts those whose quote was not in it);
/// <paramref name="Notes"/> says what the checks after the engine changed (a category outside the list, an
/// unsupported priority, a reply that cited facts not in the email).
/// </summary>
public sealed record TriageResult(
    string Engine, string? Model, string? Fallback, string Category, string Priority, string Sentiment, string SuggestedReply,
    IReadOnlyList<TriageReason> Reasons, int DroppedReasons, IReadOnlyList<string> Notes, SlaTarget Sla);

/// <summary>Why triage decided something (<paramref name="About"/>: category, priority or sentiment), with the email's words.</summary>
public sealed record TriageReason(string About, string What, string Quote);

public static class TriagePriorities
{
    public const string Urgent = "urgent";
    public const string High = "high";
    public const string Normal = "normal";
    public const string Low = "low";

    /// <summary>Most pressing first.</summary>
    public static readonly IReadOnlyList<string> All = [Urgent, High, Normal, Low];

    public static int Rank(string priority) => priority switch { Urgent => 3, High => 2, Normal => 1, _ => 0 };
}

public static class TriageAbout
{
    public const string Category = "category";
    public const string Priority = "priority";
    public const string Sentiment = "sentiment";
    public static readonly IReadOnlyList<string> All = [Category, Priority, Sentiment];
}

public static class TriageEngines
{
    public const string Rules = "rules";
    public const string Llm = "llm";
}

/// <summary>A support category the tenant routes by, and the words that suggest it.</summary>
public sealed record SupportCategory(string Name, IReadOnlyList<string> Keywords);

/// <summary>How soon a ticket of one priority gets its first response and its resolution, in hours.</summary>
public sealed record SlaTarget(int FirstResponseHours, int ResolutionHours, bool BusinessHours);

/// <summary>The tenant's support settings as triage reads them (defaults until an administrator saves them).</summary>
public sealed record SupportConfiguration(
    IReadOnlyList<SupportCategory> Categories,
    IReadOnlyDictionary<string, SlaTarget> Sla,
    IReadOnlyDictionary<string, string> ReplyTemplates)
{
    public const string Other = "other";

    public IEnumerable<string> CategoryNames => Categories.Select(c => c.Name).Append(Other);

    public string TemplateFor(string category) =>
        ReplyTemplates.TryGetValue(category, out var t) ? t : ReplyTemplates.TryGetValue(Other, out var other) ? other : Defaults.ReplyTemplates[Other];

    public SlaTarget SlaFor(string priority) => Sla.TryGetValue(priority, out var s) ? s : Defaults.Sla[priority];

    public static readonly SupportConfiguration Defaults = new(
        [
            new("billing", ["invoice", "invoices", "billing", "billed", "charge", "charged", "refund", "payment", "paid", "pay", "receipt", "credit card", "card", "subscription", "price", "plan", "vat", "overcharged", "discount", "renewal"]),
            new("technical", ["error", "bug", "crash", "crashes", "broken", "outage", "down", "not working", "doesn't work", "does not work", "slow", "timeout", "api", "integration", "sync", "webhook", "500", "failed", "fails", "failing", "import", "export", "dialer", "calls", "loading", "blank page", "upload"]),
            new("account", ["log in", "login", "log-in", "sign in", "signin", "password", "locked out", "locked", "2fa", "mfa", "two-factor", "authenticator", "reset", "username", "account", "email address", "permissions", "access", "user seat", "delete my account", "sso"]),
            new("sales", ["demo", "quote", "pricing", "upgrade", "seats", "licenses", "licences", "enterprise", "trial", "feature request", "would be great", "would love", "roadmap", "purchase", "buy", "partnership", "reseller"]),
        ],
        new Dictionary<string, SlaTarget>
        {
            [TriagePriorities.Urgent] = new(1, 8, false),
            [TriagePriorities.High] = new(4, 24, true),
            [TriagePriorities.Normal] = new(8, 72, true),
            [TriagePriorities.Low] = new(24, 120, true),
        },
        new Dictionary<string, string>
        {
            ["billing"] = "Hi {{ first_name }},\n\nThank you for writing to us about billing{% if ticket_reference %} (ticket {{ ticket_reference }}){% endif %}. Our billing team is looking at your account and will reply with the details as soon as they have checked it.\n\nBest regards,\nThe support team",
            ["technical"] = "Hi {{ first_name }},\n\nThank you for reporting this{% if ticket_reference %} (ticket {{ ticket_reference }}){% endif %}. Our technical team is investigating. If you can, reply with the steps that lead to the problem and any error message you see; we will update you as soon as we know more.\n\nBest regards,\nThe support team",
            ["account"] = "Hi {{ first_name }},\n\nThank you for getting in touch about your account{% if ticket_reference %} (ticket {{ ticket_reference }}){% endif %}. For your security we never ask for or send passwords by email. We are checking your account and will get back to you shortly.\n\nBest regards,\nThe support team",
            ["sales"] = "Hi {{ first_name }},\n\nThank you for your interest{% if ticket_reference %} (ticket {{ ticket_reference }}){% endif %}. We have passed your message to our sales team, who will be in touch.\n\nBest regards,\nThe support team",
            [Other] = "Hi {{ first_name }},\n\nThank you for your message{% if ticket_reference %} (ticket {{ ticket_reference }}){% endif %}. We have received it and will get back to you as soon as we can.\n\nBest regards,\nThe support team",
        });
}
