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
        // Keep what the reader saw (the label, or an image's alt text); drop the target.
        var text = new LiteralInline(PlainText(link));
        link.ReplaceBy(text);
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
        var parts = new System.Text.StringBuilder();
        foreach (var child in container.Descendants<LiteralInline>()) parts.Append(child.Content.ToString());
        foreach (var code in container.Descendants<CodeInline>()) parts.Append(code.Content);
        return parts.ToString();
    }
}
