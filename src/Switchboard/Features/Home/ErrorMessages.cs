namespace Switchboard.Features.Home;

/// <summary>What an error page says: the status, a plain message, the reference of a server error, and the way back.</summary>
public sealed record ErrorView(int Status, string Title, string Message, string? Reference, string BackHref, string BackLabel)
{
    public bool IsServerError => Status >= 500;
}

public static class ErrorMessages
{
    public static ErrorView For(int status, TenantContext ctx, string reference)
    {
        var (title, message) = status switch
        {
            404 => ("Page not found",
                "This page doesn't exist, or it belongs to a record you can't see. Check the address, or go back to your work."),
            403 => ("You don't have access to this page",
                "Your role in this workspace does not allow it. If you think it should, ask your workspace administrator."),
            405 => ("That action isn't available here",
                "This page does not take that kind of request. Go back to the page and try again from there."),
            413 => ("That was too large", "What you sent is larger than this page accepts. Go back and send something smaller."),
            503 => ("Switchboard is busy for a moment",
                "We could not reach the database just now, and it is not something you did. Wait a few seconds and try again; nothing you had saved is lost."),
            >= 500 => ("Something went wrong",
                "We could not complete your request, and it is not something you did. Try again in a moment; if it keeps happening, give your administrator the reference below."),
            _ => ("We couldn't use that request",
                "Something in what was sent could not be read. Go back, check what you entered, and try again."),
        };
        var (href, label) = !ctx.IsSignedIn ? ("/signin", "Sign in")
            : ctx.TenantId is null && ctx.IsSuperadmin ? ("/tenants", "Back to tenants")
            : ("/", "Back to home");
        return new ErrorView(status, title, message, status >= 500 ? reference : null, href, label);
    }
}
