using Markdig;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Switchboard.Features.Activities;

/// <summary>
/// Renders note markdown to HTML that is safe to put on a page: raw HTML is not recognised (it comes out as text),
/// links keep only http, https and mailto targets (others become their plain text), images become their alt text,
/// and every link gets rel="nofollow noopener".
/// </summary>
public static class MarkdownRenderer
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UseSoftlineBreakAsHardlineBreak()
        .Build();

    private static readonly string[] AllowedSchemes = ["http://", "https://", "mailto:"];

    public static string ToHtml(string markdown)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var link in document.Descendants<LinkInline>().ToList()) Sanitize(link);
        foreach (var autolink in document.Descendants<AutolinkInline>().ToList()) Sanitize(autolink);
        return document.ToHtml(Pipeline);
    }

    public static bool IsAllowedUrl(string? url) =>
        url is not null && AllowedSchemes.Any(s => url.StartsWith(s, StringComparison.OrdinalIgnoreCase))
        && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "mailto"
        && !url.Any(char.IsControl);

    private static void Sanitize(LinkInline link)
    {
        if (!link.IsImage && IsAllowedUrl(link.Url))
        {
            link.GetAttributes().AddPropertyIfNotExist("rel", "nofollow noopener");
            return;
        }
        // Keep what the reader saw (the label, or an image's alt text) once, as plain text; drop the target. Markdig's
        // ReplaceBy would otherwise move the link's children after the replacement, showing the label twice.
        link.ReplaceBy(new LiteralInline(PlainText(link)), copyChildren: false);
    }

    private static void Sanitize(AutolinkInline link)
    {
        var url = link.IsEmail ? "mailto:" + link.Url : link.Url;
        if (IsAllowedUrl(url))
        {
            link.GetAttributes().AddPropertyIfNotExist("rel", "nofollow noopener");
            return;
        }
        link.ReplaceBy(new LiteralInline(link.Url));
    }

    private static string PlainText(ContainerInline container)
    {
        var text = new System.Text.StringBuilder();
        AppendText(container, text);
        return text.ToString();
    }

    /// <summary>The text of the inlines in reading order: literals, code spans, entities and nested containers.</summary>
    private static void AppendText(ContainerInline container, System.Text.StringBuilder text)
    {
        foreach (var child in container)
        {
            switch (child)
            {
                case LiteralInline literal: text.Append(literal.Content.ToString()); break;
                case CodeInline code: text.Append(code.Content); break;
                case HtmlEntityInline entity: text.Append(entity.Transcoded.ToString()); break;
                case AutolinkInline autolink: text.Append(autolink.Url); break;
                case LineBreakInline: text.Append(' '); break;
                case ContainerInline nested: AppendText(nested, text); break;
            }
        }
    }
}
