using System.Net;
using Microsoft.AspNetCore.DataProtection;

namespace Switchboard.Features.Outreach;

/// <summary>What an unsubscribe token names: the tenant, the outbound email and the address it went to.</summary>
public sealed record UnsubscribeToken(Guid TenantId, Guid OutboundEmailId, string Address);

/// <summary>
/// The one-click unsubscribe links of outreach email (RFC 8058): /u/{token}, the token encrypted and signed with the
/// app's data-protection keys (purpose Switchboard.Outreach.Unsubscribe.v1), naming tenant, outbound email and address.
/// </summary>
[Singleton]
public sealed class UnsubscribeLinks(IDataProtectionProvider protection, AppLinks links)
{
    private readonly IDataProtector _protector = protection.CreateProtector("Switchboard.Outreach.Unsubscribe.v1");

    public string Token(OutboundEmail email) => _protector.Protect($"{email.TenantId:N}|{email.Id:N}|{email.ToAddress}");

    public string Url(OutboundEmail email) => links.To($"/u/{Token(email)}");

    public UnsubscribeToken? Read(string token)
    {
        try
        {
            var parts = _protector.Unprotect(token).Split('|', 3);
            return parts.Length == 3 && Guid.TryParse(parts[0], out var tenant) && Guid.TryParse(parts[1], out var email)
                ? new UnsubscribeToken(tenant, email, parts[2])
                : null;
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or FormatException)
        {
            return null;
        }
    }
}

/// <summary>
/// GET /u/{token} shows a page with a button and changes nothing (link scanners follow GETs); POST /u/{token} — the
/// one-click form body List-Unsubscribe=One-Click from a mail client, or that button — adds the suppression (reason
/// unsubscribed) and tells the outcome observers, once. Anonymous, no antiforgery (the token is the credential).
/// </summary>
public static class UnsubscribeEndpoints
{
    public static IEndpointRouteBuilder MapUnsubscribe(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/u").AllowAnonymous().ExcludeFromDescription().DisableAntiforgery();
        group.MapGet("/{token}", (string token, UnsubscribeLinks links) =>
        {
            if (links.Read(token) is not { } read) return NotFound();
            return Page("Unsubscribe", $"""
                <p>Stop emails like this one to <strong>{WebUtility.HtmlEncode(read.Address)}</strong>?</p>
                <form method="post" action="/u/{WebUtility.HtmlEncode(token)}">
                  <input type="hidden" name="List-Unsubscribe" value="One-Click">
                  <button type="submit">Unsubscribe</button>
                </form>
                """, 200);
        });
        group.MapPost("/{token}", async (string token, UnsubscribeLinks links, IServiceScopeFactory scopes, CancellationToken ct) =>
        {
            if (links.Read(token) is not { } read) return NotFound();
            var done = await OutreachScope.RunAsync(scopes, read.TenantId, services =>
                services.GetRequiredService<SuppressionWriter>().UnsubscribeAsync(read, ct), ct);
            return done ? Page("Unsubscribed", $"<p><strong>{WebUtility.HtmlEncode(read.Address)}</strong> will get no more of these emails.</p>", 200) : NotFound();
        });
        return app;
    }

    private static IResult NotFound() => Page("Link not found", "<p>This unsubscribe link is not valid. If you keep getting email you did not ask for, reply to it and ask to be removed.</p>", 404);

    private static IResult Page(string title, string body, int status) => Results.Content($"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">
        <title>{title}</title>
        <style>body{"{"}font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#111827{"}"}
        button{"{"}padding:.6rem 1.2rem;background:#2563eb;color:#fff;border:0;border-radius:6px;font-weight:600;cursor:pointer{"}"}</style></head>
        <body><h1>{title}</h1>{body}</body></html>
        """, "text/html; charset=utf-8", Encoding.UTF8, status);
}
