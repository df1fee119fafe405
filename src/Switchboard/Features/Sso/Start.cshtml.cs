using Microsoft.AspNetCore.Authorization;

namespace Switchboard.Features.Sso;

/// <summary>
/// "Sign in with SSO" (ADR 0047): the sign-in page's button posts its email and workspace fields here; a link may
/// also start here with ?tenant=slug. Sends the browser to the tenant's provider with the flow's cookie set.
/// </summary>
[AllowAnonymous]
[Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(SignInRateLimit.Policy)]
public sealed class SsoStartModel(SsoSignIn sso, SsoFlowCookie cookie) : AppPageModel
{
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? TenantSlug { get; set; }
    /// <summary>The token of the invitation being accepted (the accept page's "Accept with single sign-on").</summary>
    [BindProperty] public string? Invitation { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    /// <summary>Set when the browser is on its way to the provider (after a post: see <see cref="OnPostAsync"/>).</summary>
    public string? ProviderUrl { get; private set; }

    public Task<IActionResult> OnGetAsync(string? tenant, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(tenant)) return Task.FromResult<IActionResult>(Page());
        TenantSlug = tenant;
        return StartAsync(url => Redirect(url), ct);
    }

    /// <summary>
    /// The page's CSP has form-action 'self', which browsers apply to the redirects that follow a form post too: so a
    /// posted start answers with a page that moves on by a Refresh header (not a form navigation), with a link as well.
    /// </summary>
    public Task<IActionResult> OnPostAsync(CancellationToken ct) => StartAsync(url =>
    {
        ProviderUrl = url;
        Response.Headers["Refresh"] = "0; url=" + url;
        return Page();
    }, ct);

    private async Task<IActionResult> StartAsync(Func<string, IActionResult> goTo, CancellationToken ct)
    {
        var slug = string.IsNullOrWhiteSpace(TenantSlug) ? null : TenantSlug.Trim().ToLowerInvariant();
        var email = string.IsNullOrWhiteSpace(Email) ? null : Email.Trim();
        if (slug is null && email is null)
        {
            FormError = "Type your work email or your workspace's slug.";
            return Page();
        }
        var returnUrl = !string.IsNullOrEmpty(ReturnUrl) && Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : null;
        switch (await sso.StartAsync(email, slug, returnUrl, ct, string.IsNullOrWhiteSpace(Invitation) ? null : Invitation.Trim()))
        {
            case SsoStart.Redirect redirect:
                cookie.Write(HttpContext, redirect.Flow);
                return goTo(redirect.Url);
            case SsoStart.Refused refused:
                FormError = refused.Message;
                break;
        }
        return Page();
    }
}
