namespace Switchboard.Features.Auth;

/// <summary>The profile page's "Password" form. Field names are the page's own; the service's errors are mapped onto them.</summary>
public sealed class PasswordChangeForm
{
    public string? CurrentPassword { get; set; }
    public string? NewPassword { get; set; }
    public string? ConfirmPassword { get; set; }
}

/// <summary>The profile page's "Email" form; its password field has its own name, apart from the password form's.</summary>
public sealed class EmailChangeForm
{
    public string? NewEmail { get; set; }
    public string? EmailCurrentPassword { get; set; }
}

/// <summary>
/// The handlers behind the profile page's password and email forms: the same services as the API, answered with a flash
/// and a redirect when they worked, or with the errors put on the page (the caller then renders it again).
/// </summary>
public static class OwnAccountForms
{
    public static async Task<IActionResult?> ChangePasswordAsync(AppPageModel page, ChangePassword change, PasswordChangeForm form, CancellationToken ct)
    {
        if (!string.IsNullOrEmpty(form.NewPassword) && form.NewPassword != form.ConfirmPassword)
        {
            page.AddError("confirmPassword", "The two passwords are not the same.");
            return null;
        }
        var outcome = await change.ChangeAsync(new ChangePasswordRequest(form.CurrentPassword, form.NewPassword), page.User.Read(SwitchboardClaims.SessionId), ct);
        if (outcome is Outcome<bool>.Ok)
        {
            page.Flash("Your password was changed. Every other session of your account was signed out.");
            return page.LocalRedirect("/profile");
        }
        Show(page, outcome, field => field);
        return null;
    }

    public static async Task<IActionResult?> ChangeEmailAsync(AppPageModel page, ChangeEmail change, EmailChangeForm form, CancellationToken ct)
    {
        var outcome = await change.RequestAsync(new ChangeEmailRequest(form.NewEmail, form.EmailCurrentPassword), ct);
        if (outcome is Outcome<ChangeEmailAnswer>.Ok ok)
        {
            page.Flash(ok.Value.Message, FlashKind.Info);
            return page.LocalRedirect("/profile");
        }
        Show(page, outcome, field => field == "currentPassword" ? "emailCurrentPassword" : field);
        return null;
    }

    /// <summary>The services answer these forms with field errors only (invalid, wrong password, locked out).</summary>
    private static void Show<T>(AppPageModel page, Outcome<T> outcome, Func<string, string> pageField)
    {
        if (outcome is not Outcome<T>.Invalid invalid) throw new InvalidOperationException($"Unexpected outcome {outcome}.");
        foreach (var (field, messages) in invalid.Errors)
            foreach (var message in messages) page.AddError(pageField(field), message);
    }
}
