using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Html;

namespace Switchboard.Features.Calls;

/// <summary>Who the script is read to and by whom: the values its merge fields take on one call.</summary>
public sealed record CallScriptValues(
    string? FirstName, string? LastName, string? Company, string? AgentFirstName, string? AgentLastName, string? WorkspaceName);

/// <summary>A merge field an administrator may type in the call script, as <c>{name}</c>.</summary>
public sealed record MergeField(string Name, string Description, Func<CallScriptValues, string?> Value)
{
    public string Token => "{" + Name + "}";
}

/// <summary>
/// The call script's merge fields: <c>{first name}</c> and the like, matched without regard to case or spacing.
/// Rendering HTML-escapes the script and every value; a field it does not know is left as typed (and the settings page
/// warns about it), a known field without a value shows muted so the agent sees what is missing.
/// </summary>
public static partial class CallScript
{
    public static readonly IReadOnlyList<MergeField> Fields =
    [
        new("first name", "The lead's first name", v => v.FirstName),
        new("last name", "The lead's last name", v => v.LastName),
        new("full name", "The lead's first and last name", v => Display.FullName(v.FirstName, v.LastName)),
        new("company", "The lead's company", v => v.Company),
        new("agent first name", "The first name of the agent on the call", v => v.AgentFirstName),
        new("agent name", "The full name of the agent on the call", v => Display.FullName(v.AgentFirstName, v.AgentLastName)),
        new("workspace name", "The name of this workspace (your company)", v => v.WorkspaceName),
    ];

    // One line, no nested braces, short: "{first name}", not a JSON sample or a paragraph in braces.
    [GeneratedRegex(@"\{([^{}\r\n]{1,40})\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"[\s_]+")]
    private static partial Regex Spacing();

    public static MergeField? Find(string typed)
    {
        var name = Spacing().Replace(typed.Trim(), " ");
        return Fields.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The placeholders in the script that are not merge fields, as typed, each once.</summary>
    public static IReadOnlyList<string> UnknownFields(string? script) =>
        script is null ? [] : Placeholder().Matches(script)
            .Where(m => Find(m.Groups[1].Value) is null)
            .Select(m => m.Value)
            .Distinct(StringComparer.Ordinal)
            .ToList();

    public static IHtmlContent Render(string script, CallScriptValues values)
    {
        var html = new StringBuilder();
        var encoder = HtmlEncoder.Default;
        var at = 0;
        foreach (Match match in Placeholder().Matches(script))
        {
            if (Find(match.Groups[1].Value) is not { } field) continue;
            html.Append(encoder.Encode(script[at..match.Index]));
            var value = field.Value(values);
            html.Append(string.IsNullOrWhiteSpace(value)
                ? $"<span class=\"merge-missing\" title=\"Not known for this call\">{encoder.Encode(match.Value)}</span>"
                : $"<span class=\"merge-value\">{encoder.Encode(value.Trim())}</span>");
            at = match.Index + match.Length;
        }
        html.Append(encoder.Encode(script[at..]));
        return new HtmlString(html.ToString());
    }
}

/// <summary>The tenant's call script with its merge fields filled in for a call to <paramref name="contact"/>'s values.</summary>
[Scoped]
public sealed class CallScripts(CallingSettingsService settings, SwitchboardDbContext db, TenantContext ctx)
{
    /// <summary>Null when the tenant has no script.</summary>
    public async Task<IHtmlContent?> RenderAsync(string? firstName, string? lastName, string? company, CancellationToken ct)
    {
        var script = (await settings.PolicyAsync(ct)).CallScript;
        if (string.IsNullOrWhiteSpace(script)) return null;
        var agent = ctx.UserId is { } userId
            ? await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => new { u.FirstName, u.LastName }).SingleOrDefaultAsync(ct)
            : null;
        return CallScript.Render(script, new CallScriptValues(firstName, lastName, company, agent?.FirstName, agent?.LastName, ctx.Tenant?.Name));
    }
}
