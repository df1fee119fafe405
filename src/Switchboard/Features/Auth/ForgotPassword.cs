using Microsoft.AspNetCore.Identity;

namespace Switchboard.Features.Auth;

public sealed record ForgotPasswordRequest(string? Email);

/// <summary>What "forgot password" answers, whatever the address: nothing in it says whether an account exists.</summary>
public sealed record ForgotPasswordAnswer(string Message);

/// <summary>
/// "Forgot password": the request only queues a job with the address as typed, so it does the same work and answers the
/// same whether or not the address has an account (ADR 0039); <see cref="ForgotPasswordJob"/> then looks the address up and
/// sends the link.
/// </summary>
[Scoped]
public sealed class ForgotPassword(JobQueue jobs, AuditActor actor)
{
    public static readonly ForgotPasswordAnswer Answer = new(
        "If an account exists for that address, we sent it a link to choose a new password. The link works once, for one hour.");

    public async Task<Outcome<ForgotPasswordAnswer>> RequestAsync(ForgotPasswordRequest body, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        errors.Required("email", body.Email, "Email", 254);
        errors.Email("email", body.Email);
        if (!errors.IsValid) return new Outcome<ForgotPasswordAnswer>.Invalid(errors.ToDictionary());
        await jobs.EnqueueNowAsync(ForgotPasswordJob.JobKind, new ForgotPasswordJob.Payload(body.Email!.Trim(), actor.Ip, actor.UserAgent), tenantId: null, ct: ct);
        return Answer;
    }
}

/// <summary>
/// Sends the reset link of a "forgot password" request: to an active account with that address, a new single-use token
/// (older links of the account stop working) in an email; to anything else, nothing. Every request is audited on the
/// platform's log with what came of it. The token's id is the job's, so a retried run does not send a second link.
/// </summary>
public sealed class ForgotPasswordJob(SwitchboardDbContext db, UserManager<AppUser> users, AccountTokens tokens, AccountEmails emails, AuditLog audit, AuditActor actor)
    : IJobHandler
{
    public const string JobKind = "auth.forgot-password";

    public sealed record Payload(string Email, string? Ip, string? UserAgent);

    public string Kind => JobKind;

    public async Task HandleAsync(Job job, CancellationToken ct)
    {
        var request = job.Read<Payload>();
        actor.ActorType = "anonymous";
        actor.ActorName = null;
        actor.Ip = request.Ip;
        actor.UserAgent = request.UserAgent;
        if (await tokens.ExistsAsync(job.Id, ct)) return;

        var user = await users.FindByEmailAsync(request.Email);
        if (user is not { IsActive: true })
        {
            await audit.WriteAsync(AuditActions.UserPasswordResetRequested, null, "user", user?.Id.ToString(),
                new { email = request.Email, outcome = user is null ? "unknown-email" : "user-inactive" }, ct);
            return;
        }

        await using var tx = await db.BeginUnitOfWorkAsync(ct);
        var token = await tokens.IssueAsync(user.Id, AccountTokenPurpose.PasswordReset, newEmail: null, ct, id: job.Id);
        await emails.ResetLinkAsync(user, token, ct);
        audit.Add(AuditActions.UserPasswordResetRequested, null, "user", user.Id.ToString(), new { email = request.Email, outcome = "sent" });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }
}
