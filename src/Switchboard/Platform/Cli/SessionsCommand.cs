using Switchboard.Features.Sessions;

namespace Switchboard.Platform.Cli;

/// <summary>
/// <c>switchboard sessions list|revoke</c>: the signed-in sessions (browser and API) that have not ended, and ending
/// them through <see cref="SessionStore"/> as an administrator would (ADR 0067); every revocation is a platform audit row.
/// </summary>
public sealed class SessionsCommand(IServiceProvider services) : ICliCommand
{
    public static string Verb => "sessions";

    public static string Usage => """
          sessions list [--email E]            The sessions that have not ended (everyone's, or one account's): id, account,
                                               tenant, kind, device, address, last seen.
          sessions revoke --email E | --id ID  End every session of an account, or one session.
        """.TrimEnd();

    public Task<int> RunAsync(string[] args, TextWriter output, CancellationToken ct) => args.FirstOrDefault() switch
    {
        "list" => ListAsync(args, output, ct),
        "revoke" => RevokeAsync(args, output, ct),
        _ => throw new CliUsageException("sessions needs a subcommand: list [--email E], or revoke --email E | --id ID."),
    };

    private async Task<int> ListAsync(string[] args, TextWriter output, CancellationToken ct)
    {
        var email = CliScopes.OptionalValue(args, "--email", "sessions list");
        await using var scope = await CliScopes.PlatformAsync(services);
        var db = scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>();
        Guid? userId = email is null ? null : (await CliScopes.AccountAsync(scope, email)).Id;
        var sessions = await (from s in db.Sessions.AsNoTracking()
                              join u in db.Users.AsNoTracking() on s.UserId equals u.Id
                              join t in db.Tenants.AsNoTracking() on s.TenantId equals t.Id into tenants
                              from t in tenants.DefaultIfEmpty()
                              where s.RevokedAt == null && (userId == null || s.UserId == userId)
                              orderby s.LastSeenAt descending
                              select new { s.Id, u.Email, Tenant = t == null ? null : t.Slug, s.Kind, s.UserAgent, s.Ip, s.LastSeenAt }).ToListAsync(ct);
        foreach (var s in sessions)
            await output.WriteLineAsync($"{s.Id} {s.Email,-36} {s.Tenant ?? "-",-20} {s.Kind,-8} {DeviceNames.Describe(s.UserAgent),-28} {s.Ip ?? "-",-15} last seen {s.LastSeenAt:yyyy-MM-dd HH:mm} UTC");
        await output.WriteLineAsync($"{sessions.Count} session(s).");
        return 0;
    }

    private async Task<int> RevokeAsync(string[] args, TextWriter output, CancellationToken ct)
    {
        var email = CliScopes.OptionalValue(args, "--email", "sessions revoke");
        var idText = CliScopes.OptionalValue(args, "--id", "sessions revoke");
        if ((email is null) == (idText is null)) throw new CliUsageException("sessions revoke needs --email E or --id ID (one of them).");
        await using var scope = await CliScopes.PlatformAsync(services);
        var store = scope.ServiceProvider.GetRequiredService<SessionStore>();
        var audit = scope.ServiceProvider.GetRequiredService<AuditLog>();
        if (email is not null)
        {
            var user = await CliScopes.AccountAsync(scope, email);
            var ended = await store.RevokeAllForUserAsync(user.Id, SessionEndReasons.EndedByAdmin, ct);
            await audit.WriteAsync(AuditActions.UserSessionsEnded, null, "user", user.Id.ToString(), new { email = user.Email, ended }, ct);
            await output.WriteLineAsync($"Ended {ended} session(s) of {user.Email}.");
            return 0;
        }

        if (!Guid.TryParse(idText, out var id)) throw new CliUsageException($"--id must be a session id (a UUID); got '{idText}'.");
        var session = await scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>().Sessions.AsNoTracking()
            .SingleOrDefaultAsync(s => s.Id == id, ct) ?? throw new CliException($"No session has the id {id}.");
        if (session.RevokedAt is not null)
        {
            await output.WriteLineAsync($"Session {id} had already ended ({session.RevokedReason ?? "revoked"}).");
            return 0;
        }
        await store.RevokeAsync(id, SessionEndReasons.EndedByAdmin, ct);
        await audit.WriteAsync(AuditActions.SessionEnded, null, "session", id.ToString(), new { userId = session.UserId, session.Kind }, ct);
        await output.WriteLineAsync($"Ended session {id}.");
        return 0;
    }

}
