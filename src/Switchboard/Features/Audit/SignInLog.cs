namespace Switchboard.Features.Audit;

/// <summary>
/// One sign-in attempt. <see cref="Email"/> is the address typed (or the account's, on success); <see cref="UserId"/> the
/// account it belongs to; <see cref="Reason"/> why a failed attempt failed (<see cref="SignInFailures"/>), null on success.
/// </summary>
public sealed record SignInAttemptDto(
    Guid Id, DateTimeOffset At, bool Succeeded, string? Email, Guid? UserId, string? Reason, string? ReasonLabel, string? Ip, string? UserAgent);

/// <summary>
/// The filters of the sign-in log: <see cref="Result"/> is "succeeded" or "failed" (both when empty); days as the audit
/// log takes them (YYYY-MM-DD in the tenant's zone, both included); scope=platform (superadmins) reads attempts that
/// belong to no tenant (unknown addresses, inactive accounts).
/// </summary>
public sealed record SignInQuery(string? Result, string? From, string? To, int? Page, int? PageSize, string? Scope = null);

/// <summary>
/// Sign-in attempts, success and failure, with the reason, address and browser: the audit log's user.signed-in and
/// user.sign-in-failed rows, which <see cref="SignInService"/> writes for every attempt, read as a log of their own for
/// administrators. No table of its own: each attempt is already an audit row, in the tenant's hash chain.
/// </summary>
[Scoped]
public sealed class SignInLog(SwitchboardDbContext db, AuditQueries queries)
{
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";

    public async Task<Outcome<PagedList<SignInAttemptDto>>> ListAsync(SignInQuery query, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var paging = PageRequest.Validate(query.Page, query.PageSize, errors);
        var result = string.IsNullOrWhiteSpace(query.Result) ? null : query.Result.Trim();
        if (result is not (null or Succeeded or Failed)) errors.Add("result", $"result must be '{Succeeded}' or '{Failed}'.");
        var outcome = await queries.FilterAsync(new AuditQuery(null, null, null, null, null, query.Scope, From: query.From, To: query.To), errors);
        if (outcome is not Outcome<AuditFilter>.Ok { Value: var filter }) return AuditQueries.Relay<PagedList<SignInAttemptDto>>(outcome);

        var signedIn = AuditActions.UserSignedIn.Name;
        var failed = AuditActions.UserSignInFailed.Name;
        var rows = filter.Apply(db.AuditLog.AsNoTracking());
        rows = result switch
        {
            Succeeded => rows.Where(a => a.Action == signedIn),
            Failed => rows.Where(a => a.Action == failed),
            _ => rows.Where(a => a.Action == signedIn || a.Action == failed),
        };
        var page = await paging.ApplyAsync(db, rows.OrderByDescending(a => a.OccurredAt).ThenByDescending(a => a.Id), ct);
        return page.Map(ToDto);
    }

    /// <summary>
    /// A successful attempt is written by the signed-in user (actor: their id and email); a failed one anonymously, with
    /// the address typed and the reason in its changes and the account, when there is one, as its entity.
    /// </summary>
    private static SignInAttemptDto ToDto(AuditEntry row)
    {
        var succeeded = AuditActions.UserSignedIn.Is(row.Action);
        var details = row.Changes?.RootElement;
        string? Detail(string name) =>
            details is { ValueKind: JsonValueKind.Object } d && d.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        var reason = succeeded ? null : Detail("reason");
        var userId = succeeded ? row.ActorId : Guid.TryParse(row.EntityId, out var id) ? id : null;
        return new SignInAttemptDto(row.Id, row.OccurredAt, succeeded, succeeded ? row.ActorName : Detail("email"), userId,
            reason, reason is null ? null : SignInFailures.Label(reason), row.Ip, row.UserAgent);
    }
}
