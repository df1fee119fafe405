using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text.Encodings.Web;
using Fluid;

namespace Switchboard.Platform.Email;

/// <summary>
/// What one kind of email says: its template's name and the values the template reads. Every template also reads
/// <c>brand.name</c>, <c>brand.logo_url</c> (the tenant's, or Switchboard's for platform mail) and <c>recipient.name</c>.
/// </summary>
public abstract record EmailTemplate
{
    public abstract string Name { get; }

    /// <summary>The template's own values, by the names the .liquid files use (snake_case). Dates come formatted for the reader.</summary>
    public abstract IReadOnlyDictionary<string, object?> Values();
}

/// <summary>Whose name and logo head an email: the tenant's, or the product's for platform mail.</summary>
public sealed record EmailBranding(string Name, string? LogoUrl)
{
    public static readonly EmailBranding Platform = new("Switchboard", null);
}

public sealed record RenderedEmail(string Subject, string Text, string Html);

/// <summary>
/// Renders emails from the Liquid templates shipped in Platform/Email/Templates (Fluid): for each template a
/// subject, a plain-text body and an HTML body, wrapped in the culture's layouts (<c>_layout.txt</c>, <c>_layout.html</c>).
/// A language is a folder named for its culture ("de", "pt-BR"); a template missing there falls back to the parent
/// culture and then to "en". In HTML every value is HTML-encoded; templates may only read the values they are given,
/// and reading one that does not exist is an error (so a typo fails the template tests, not a customer's email). A value
/// that may be missing is given as "" and tested with <c>!= empty</c> (in strict mode a nil reads as undefined).
/// </summary>
[Singleton]
public sealed class EmailTemplates
{
    public const string DefaultCulture = "en";
    private const string ResourcePrefix = "Switchboard.EmailTemplates.";

    private static readonly FluidParser Parser = new();
    private static readonly ConcurrentDictionary<string, TemplateOptions> Options = new();
    private readonly ConcurrentDictionary<string, IFluidTemplate?> _parsed = new();
    private readonly Assembly _assembly = typeof(EmailTemplates).Assembly;

    /// <summary>Every template name shipped in the default culture.</summary>
    public IReadOnlyList<string> Names =>
        _assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix + DefaultCulture + "/", StringComparison.Ordinal) && n.EndsWith(".subject.liquid", StringComparison.Ordinal))
            .Select(n => n[(ResourcePrefix.Length + DefaultCulture.Length + 1)..^".subject.liquid".Length])
            .Order(StringComparer.Ordinal)
            .ToList();

    public async Task<RenderedEmail> RenderAsync(EmailTemplate email, EmailBranding brand, string? recipientName, string? culture = null)
    {
        var cultures = Cultures(culture);
        var values = new Dictionary<string, object?>(email.Values(), StringComparer.Ordinal)
        {
            ["brand"] = new Dictionary<string, object?> { ["name"] = brand.Name, ["logo_url"] = brand.LogoUrl ?? "" },
            ["recipient"] = new Dictionary<string, object?> { ["name"] = recipientName ?? "" },
        };
        var subject = await RenderAsync(cultures, $"{email.Name}.subject", values, NullEncoder.Default);
        var text = await RenderAsync(cultures, $"{email.Name}.txt", values, NullEncoder.Default);
        var html = await RenderAsync(cultures, $"{email.Name}.html", values, HtmlEncoder.Default);
        var layoutValues = new Dictionary<string, object?>(values) { ["subject"] = subject };
        return new RenderedEmail(
            // One line: a subject is a header, and mail clients show only its first line anyway.
            string.Join(' ', subject.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)),
            await RenderAsync(cultures, "_layout.txt", new Dictionary<string, object?>(layoutValues) { ["content"] = text.Trim() }, NullEncoder.Default),
            await RenderAsync(cultures, "_layout.html", new Dictionary<string, object?>(layoutValues) { ["content"] = Fluid.Values.StringValue.Create(html, encode: false) }, HtmlEncoder.Default));
    }

    private async Task<string> RenderAsync(IReadOnlyList<string> cultures, string part, IReadOnlyDictionary<string, object?> values, TextEncoder encoder)
    {
        var template = cultures.Select(c => Parsed($"{c}/{part}.liquid")).FirstOrDefault(t => t is not null)
                       ?? throw new InvalidOperationException($"No email template '{part}' in {string.Join(", ", cultures)}.");
        var options = Options.GetOrAdd(cultures[0], c => new TemplateOptionsBuilder().WithStrictVariables(true).WithCultureInfo(CultureInfo.GetCultureInfo(c)).Build());
        var context = new TemplateContext(options);
        foreach (var (name, value) in values) context.SetValue(name, value as Fluid.Values.FluidValue ?? Fluid.Values.FluidValue.Create(value ?? "", options));
        return (await template.RenderAsync(context, encoder)).Trim() + "\n";
    }

    private IFluidTemplate? Parsed(string path) => _parsed.GetOrAdd(path, p =>
    {
        using var stream = _assembly.GetManifestResourceStream(ResourcePrefix + p);
        if (stream is null) return null;
        using var reader = new StreamReader(stream);
        var source = reader.ReadToEnd();
        return Parser.TryParse(source, out var template, out var error)
            ? template
            : throw new InvalidOperationException($"Email template {p} does not parse: {error}");
    });

    /// <summary>"pt-BR" → pt-BR, pt, en: the culture asked for, its parents, then the default.</summary>
    private static IReadOnlyList<string> Cultures(string? culture)
    {
        var chain = new List<string>();
        if (culture is { Length: > 0 })
        {
            try
            {
                for (var c = CultureInfo.GetCultureInfo(culture); c.Name.Length > 0; c = c.Parent) chain.Add(c.Name);
            }
            catch (CultureNotFoundException)
            {
                // An unknown culture renders in the default one.
            }
        }
        if (!chain.Contains(DefaultCulture)) chain.Add(DefaultCulture);
        return chain;
    }
}
