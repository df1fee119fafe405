using System.Collections.Concurrent;
using Fluid;

namespace Switchboard.Features.Support.Triage;

/// <summary>
/// The suggested replies' Liquid templates (Fluid), per category. Merge fields: <c>first_name</c> (the requester's
/// first name, "there" when unknown), <c>ticket_reference</c> (empty until the email is a ticket). A template says
/// only what the tenant wrote and these two fields, so the rules engine's reply cannot invent a date or an amount.
/// </summary>
public static class ReplyTemplates
{
    private static readonly FluidParser Parser = new();
    private static readonly ConcurrentDictionary<string, IFluidTemplate> Parsed = new();
    // An administrator's template runs on every triage: a loop of millions of steps is stopped, not waited for.
    private static readonly TemplateOptions Options = new TemplateOptionsBuilder().WithMaxSteps(20_000).WithMaxRecursion(20).Build();

    public const int MaxLength = 4_000;

    /// <summary>Why the template does not parse, or null when it does.</summary>
    public static string? Problem(string template) =>
        Parser.TryParse(template, out _, out var error) ? null : $"The template does not parse: {error}";

    /// <summary>The reply; a template that fails while rendering (too many steps) gives the default "other" reply.</summary>
    public static string Render(string template, string? firstName, string? ticketReference)
    {
        try
        {
            return RenderOnce(template, firstName, ticketReference);
        }
        catch (InvalidOperationException)
        {
            return RenderOnce(SupportConfiguration.Defaults.ReplyTemplates[SupportConfiguration.Other], firstName, ticketReference);
        }
    }

    private static string RenderOnce(string template, string? firstName, string? ticketReference)
    {
        if (Parsed.Count > 1_000) Parsed.Clear();
        var parsed = Parsed.GetOrAdd(template, t => Parser.TryParse(t, out var p, out _) ? p : Parser.Parse("{{ '' }}"));
        var context = new TemplateContext(Options);
        context.SetValue("first_name", string.IsNullOrWhiteSpace(firstName) ? "there" : firstName);
        // Left unset when there is none: in Liquid an empty string is truthy, nil is not ({% if ticket_reference %}).
        if (!string.IsNullOrWhiteSpace(ticketReference)) context.SetValue("ticket_reference", ticketReference);
        // Plain text: nothing is HTML-encoded; the page that shows it escapes it.
        return parsed.Render(context).Trim();
    }
}
