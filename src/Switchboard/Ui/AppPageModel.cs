using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Switchboard.Ui;

/// <summary>What every page shares: per-field errors from service outcomes, a form-level error, and flash messages.</summary>
public abstract class AppPageModel : PageModel
{
    private const string FlashKey = "flash";
    private const string FlashKindKey = "flash-kind";

    public IDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>();

    /// <summary>A message about the whole form (a conflict, a forbidden change), shown above the fields.</summary>
    public string? FormError { get; set; }

    public void ShowErrors(IDictionary<string, string[]> errors) => Errors = errors;

    public void AddError(string field, string message) =>
        Errors[field] = Errors.TryGetValue(field, out var existing) ? [.. existing, message] : [message];

    public string? ErrorFor(string field) => Errors.TryGetValue(field, out var messages) ? string.Join(" ", messages) : null;

    public bool HasErrors => Errors.Count > 0 || FormError is not null;

    /// <summary>
    /// Puts a failed service outcome on the form: field errors next to the fields, a conflict, refusal or stale
    /// version above them. False for NotFound (and for success), which the page answers itself.
    /// </summary>
    protected bool ShowProblem<T>(Platform.Web.Outcome<T> outcome)
    {
        switch (outcome)
        {
            case Platform.Web.Outcome<T>.Invalid invalid:
                ShowErrors(invalid.Errors);
                return true;
            case Platform.Web.Outcome<T>.Conflict conflict:
                FormError = conflict.Message;
                return true;
            case Platform.Web.Outcome<T>.Forbidden forbidden:
                FormError = forbidden.Message;
                return true;
            case Platform.Web.Outcome<T>.PreconditionFailed failed:
                FormError = failed.Message;
                return true;
            default:
                return false;
        }
    }

    /// <summary>Answers a delete: the flash and a redirect to <paramref name="then"/> when it is done, 403 when refused, 404 otherwise.</summary>
    protected IActionResult AfterDelete(Outcome<bool> outcome, string message, string then)
    {
        switch (outcome)
        {
            case Outcome<bool>.Ok:
                Flash(message);
                return LocalRedirect(then);
            case Outcome<bool>.Forbidden:
                return Forbid();
            default:
                return NotFound();
        }
    }

    /// <summary>
    /// Answers an action that reports back through the flash: <paramref name="done"/>'s message when it worked, what went
    /// wrong (invalid, conflict, stale) as an error flash, and in both cases a redirect to <paramref name="then"/>; 403 when
    /// refused, 404 when the record is not there (or not visible).
    /// </summary>
    /// <param name="problem">The text for a failure when the outcome's own message is not the one to show (null: use it).</param>
    protected IActionResult FlashAndRedirect<T>(Outcome<T> outcome, Func<T, string> done, string then, Func<Outcome<T>, string?>? problem = null)
    {
        switch (outcome)
        {
            case Outcome<T>.Ok ok:
                Flash(done(ok.Value));
                break;
            case Outcome<T>.Forbidden:
                return Forbid();
            case Outcome<T>.NotFound:
                return NotFound();
            default:
                Flash(problem?.Invoke(outcome) ?? outcome.Problem ?? "", FlashKind.Error);
                break;
        }
        return LocalRedirect(then);
    }

    /// <summary>Queues a message for the next page the browser sees (after a redirect).</summary>
    public void Flash(string message, FlashKind kind = FlashKind.Success)
    {
        TempData[FlashKey] = message;
        TempData[FlashKindKey] = kind.ToString().ToLowerInvariant();
    }

    /// <summary>True when htmx asked for a fragment (not a history restore, which needs the whole page).</summary>
    protected bool IsFragmentRequest(string target) =>
        Request.Headers["HX-Request"] == "true"
        && Request.Headers["HX-Target"] == target
        && Request.Headers["HX-History-Restore-Request"] != "true";

    protected IActionResult RedirectToLocal(string? url, string fallback) =>
        !string.IsNullOrEmpty(url) && Url.IsLocalUrl(url) ? LocalRedirect(url) : LocalRedirect(fallback);
}

public enum FlashKind
{
    Success,
    Error,
    Info,
}
