using Microsoft.AspNetCore.Authentication;
using Switchboard.Platform.Identity.TwoFactor;

namespace Switchboard.Features.Invitations;

public sealed class AcceptForm
{
    public string? FirstName { get; set; }
    public string? LastName { get; set; }
    public string? Password { get; set; }
    public string? ConfirmPassword { get; set; }
}

/// <summary>
/// Where an invitation's link lands: who invited you where, then a new account's names and password, or the password
/// of the account the address already has; for a workspace that requires single sign-on, a button that accepts through
/// its provider (<c>/sso/start</c> with the token). Accepting signs the person in to the workspace.
/// </summary>
[Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(SignInRateLimit.Policy)]
public sealed class AcceptModel(InvitationAcceptance invitations, SignInService signIn, Passwords passwords) : AppPageModel
{
    /// <summary>The rules a new password must meet, as a sentence.</summary>
    public string PasswordHint { get; private set; } = "";

    [BindProperty(SupportsGet = true)] public string? Token { get; set; }
    [BindProperty] public AcceptForm Form { get; set; } = new();

    public InvitationPreview? Invitation { get; private set; }

    /// <summary>Why the link does not open an invitation (expired, used, withdrawn, mistyped).</summary>
    public string? LinkProblem { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await PreviewAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!await PreviewAsync(ct)) return Page();
        if (!Invitation!.HasAccount && Form.Password != Form.ConfirmPassword) AddError("confirmPassword", "The two passwords are not the same.");
        if (string.IsNullOrEmpty(Form.Password)) AddError("password", Invitation.HasAccount ? "Enter the password of your Switchboard account." : "Choose a password.");
        if (HasErrors) return Clear();

        var body = new InvitationAccept
        {
            Token = Optional.Text(Token), FirstName = Optional.Text(Form.FirstName), LastName = Optional.Text(Form.LastName), Password = Form.Password,
        };
        switch (await invitations.AcceptAsync(body, ct))
        {
            case Outcome<AcceptedInvitation>.Ok ok:
                if (await signIn.SwitchAsync(ok.Value.User, ok.Value.TenantId, "web", null, ct) is SignedIn signedIn)
                {
                    await HttpContext.SignOutAsync(SwitchboardClaims.WebScheme);
                    await EnrolmentGate.SignInAsync(HttpContext, signedIn);
                    Flash($"Welcome to {Invitation.TenantName}.");
                    // A workspace that requires a second factor walks its new member through enrolment, as sign-in does.
                    return LocalRedirect(signedIn.MfaEnrolment is null ? "/" : EnrolmentGate.PagePath + "?walkthrough=true");
                }
                Flash("The invitation was accepted. Sign in to continue.");
                return LocalRedirect("/signin");
            case Outcome<AcceptedInvitation>.Invalid invalid:
                if (invalid.Errors.TryGetValue("token", out var problem)) LinkProblem = string.Join(" ", problem);
                ShowErrors(invalid.Errors);
                break;
        }
        return Clear();
    }

    private IActionResult Clear()
    {
        Form.Password = Form.ConfirmPassword = null;
        return Page();
    }

    private async Task<bool> PreviewAsync(CancellationToken ct)
    {
        switch (await invitations.PreviewAsync(Token, ct))
        {
            case Outcome<InvitationPreview>.Ok ok:
                Invitation = ok.Value;
                PasswordHint = (await passwords.RulesForAsync(null, ok.Value.TenantId, ct)).Hint;
                return true;
            case Outcome<InvitationPreview>.Invalid invalid:
                LinkProblem = string.Join(" ", invalid.Errors.Values.SelectMany(m => m));
                return false;
            default:
                LinkProblem = InvitationAcceptance.InvalidLink;
                return false;
        }
    }
}
