using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Features.Activities;
using Switchboard.Testing;

namespace Switchboard.Tests.Features.Activities;

/// <summary>Note markdown comes out as HTML that cannot run script: no raw HTML, no script URLs, safe link attributes.</summary>
public sealed class MarkdownSanitizationTests
{
    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("Hello <script src=\"https://evil.example/x.js\"></script>")]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("<a href=\"javascript:alert(1)\">click</a>")]
    [InlineData("[click](javascript:alert(1))")]
    [InlineData("[click](JavaScript:alert(1))")]
    [InlineData("[click](javascript&#58;alert(1))")]
    [InlineData("[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)")]
    [InlineData("<javascript:alert(1)>")]
    [InlineData("![x](https://evil.example/x.png \"t\" onerror=alert(1))")]
    [InlineData("![pixel](https://tracker.example/p.gif)")]
    [InlineData("[x](vbscript:msgbox(1))")]
    public void Dangerous_markdown_renders_without_script(string markdown)
    {
        var html = MarkdownRenderer.ToHtml(markdown);

        ShouldBeInert(html);
    }

    /// <summary>Checks the parsed DOM, as a browser would build it: escaped text that merely mentions "onerror" is harmless.</summary>
    internal static void ShouldBeInert(string html)
    {
        var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument("<body>" + html + "</body>");
        var elements = document.Body!.QuerySelectorAll("*");
        string[] forbidden = ["script", "img", "iframe", "object", "embed", "style", "svg", "form"];
        elements.Select(e => e.LocalName).Intersect(forbidden).ShouldBeEmpty(html);
        elements.SelectMany(e => e.Attributes).Select(a => a.Name).Where(n => n.StartsWith("on") || n == "src" || n == "style").ShouldBeEmpty(html);
        foreach (var link in elements.Where(e => e.LocalName == "a"))
        {
            var href = link.GetAttribute("href") ?? "";
            (href.StartsWith("https://") || href.StartsWith("http://") || href.StartsWith("mailto:")).ShouldBeTrue(html);
            link.GetAttribute("rel").ShouldBe("nofollow noopener");
        }
    }

    [Fact]
    public void Raw_html_is_shown_as_text()
    {
        MarkdownRenderer.ToHtml("<b>bold</b>").ShouldContain("&lt;b&gt;bold&lt;/b&gt;");
    }

    [Theory]
    [InlineData("[site](https://example.com)", "https://example.com")]
    [InlineData("[site](http://example.com/a?b=c)", "http://example.com/a?b=c")]
    [InlineData("[mail](mailto:sam@example.com)", "mailto:sam@example.com")]
    [InlineData("<https://example.com>", "https://example.com")]
    public void Safe_links_are_kept_with_nofollow_noopener(string markdown, string href)
    {
        var html = MarkdownRenderer.ToHtml(markdown);

        html.ShouldContain($"href=\"{href}\"");
        html.ShouldContain("rel=\"nofollow noopener\"");
    }

    [Fact]
    public void A_dropped_link_keeps_its_text()
    {
        var html = MarkdownRenderer.ToHtml("[click me](javascript:alert(1))");

        html.ShouldContain("click me");
        html.ShouldNotContain("<a");
    }

    [Theory]
    [InlineData("[bad](javascript:alert(1))", "<p>bad</p>\n")]
    [InlineData("See [the *bad* one](javascript:alert(1)) here", "<p>See the bad one here</p>\n")]
    [InlineData("[run `rm -rf` now](vbscript:x)", "<p>run rm -rf now</p>\n")]
    [InlineData("![a **logo**](https://tracker.example/p.gif)", "<p>a logo</p>\n")]
    [InlineData("[![pic](https://x.example/p.png) &amp; more](javascript:alert(1))", "<p>pic &amp; more</p>\n")]
    public void A_dropped_link_shows_its_text_once_in_reading_order(string markdown, string expected)
    {
        MarkdownRenderer.ToHtml(markdown).ShouldBe(expected);
    }

    [Fact]
    public void Ordinary_markdown_is_formatted()
    {
        MarkdownRenderer.ToHtml("**Budget** approved\n\n- one\n- two").ShouldBe("<p><strong>Budget</strong> approved</p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n");
    }
}

/// <summary>The notes API answers with the markdown as written and its sanitized HTML.</summary>
public sealed class NoteHtmlTests(SwitchboardHostWithTenant host) : IClassFixture<SwitchboardHostWithTenant>
{
    [Fact]
    public async Task A_note_comes_back_with_its_body_and_sanitized_html()
    {
        var lead = await host.LeadOwnedByAsync("agent");
        var agent = await host.As("agent");
        const string body = "Met **Sam**. <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>";
        var id = await agent.NoteAsync(lead, body);

        var note = await agent.GetFromJsonAsync<JsonElement>($"/api/v1/notes/{id}");

        note.GetProperty("body").GetString().ShouldBe(body);
        var html = note.GetProperty("html").GetString()!;
        html.ShouldContain("<strong>Sam</strong>");
        html.ShouldContain("&lt;script&gt;");
        MarkdownSanitizationTests.ShouldBeInert(html);
    }
}
