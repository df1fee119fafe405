using MailKit;
using MailKit.Security;

namespace Switchboard.Features.Mailboxes;

/// <summary>
/// Connecting, listing, changing and removing mailboxes. Anyone who can write may connect a personal mailbox of their
/// own; administrators create shared inboxes and grant members. Connecting (and changing the password) verifies both
/// servers first and answers 400 with the server's own words when either refuses.
/// </summary>
[Scoped]
public sealed class MailboxService(SwitchboardDbContext db, TenantContext ctx, MailServers servers, MailboxAccess access, MailboxWatcherSignal watcher, TimeProvider clock)
{
    public async Task<IReadOnlyList<MailboxDto>> ListAsync(CancellationToken ct)
    {
        var mailboxes = await access.Usable().AsNoTracking().OrderBy(m => m.Name).ToListAsync(ct);
        var result = new List<MailboxDto>();
        foreach (var mailbox in mailboxes) result.Add(await ToDtoAsync(mailbox, ct));
        return result;
    }

    public async Task<Outcome<MailboxDto>> GetAsync(Guid id, CancellationToken ct) =>
        await access.Usable().AsNoTracking().SingleOrDefaultAsync(m => m.Id == id, ct) is { } mailbox
            ? await ToDtoAsync(mailbox, ct)
            : new Outcome<MailboxDto>.NotFound();

    public async Task<Outcome<MailboxDto>> CreateAsync(MailboxWrite body, CancellationToken ct)
    {
        if (!ActivityPermissionsCanWrite()) return new Outcome<MailboxDto>.Forbidden("Your role cannot connect mailboxes.");
        var errors = body.BindingErrors();
        var kind = body.Kind.OneOf("kind", [MailboxKinds.Personal, MailboxKinds.Shared], errors).Value ?? MailboxKinds.Personal;
        if (kind == MailboxKinds.Shared && !MailboxAccess.IsAdmin(ctx)) return new Outcome<MailboxDto>.Forbidden("Only administrators can create shared inboxes.");
        errors.Required("name", body.Name.Value, "Name", 100);
        errors.Required("address", body.Address.Value, "Address", 320);
        errors.Email("address", body.Address.Value);
        Server(body.ImapHost, body.ImapPort, body.ImapSecurity, "imap", errors);
        Server(body.SmtpHost, body.SmtpPort, body.SmtpSecurity, "smtp", errors);
        errors.Required("imapUsername", body.ImapUsername.Value, "IMAP user name", 320);
        errors.MaxLength("smtpUsername", body.SmtpUsername.Value, "SMTP user name", 320);
        errors.Required("password", body.Password.Value, "Password", 500);
        var visibility = body.Visibility.OneOf("visibility", MailboxVisibility.All, errors).Value ?? MailboxVisibility.Full;
        if (body.Active is { IsSet: true, Value: null }) errors.Add("active", "active must be true or false.");
        var members = body.MemberIds.Value ?? [];
        if (members.Count > 0 && kind != MailboxKinds.Shared) errors.Add("memberIds", "Only a shared inbox has members.");
        await ValidateMembersAsync(members, errors, ct);
        var address = body.Address.Value?.Trim() ?? "";
        if (errors.IsValid && await db.Set<Mailbox>().AnyAsync(m => m.Address.ToLower() == address.ToLower(), ct))
            errors.Add("address", $"A mailbox for {address} is connected already.");
        if (!errors.IsValid) return new Outcome<MailboxDto>.Invalid(errors.ToDictionary());

        var imap = new MailEndpoint(body.ImapHost.Value!.Trim(), body.ImapPort.Value!.Value, body.ImapSecurity.Value!, body.ImapUsername.Value!.Trim());
        var smtp = new MailEndpoint(body.SmtpHost.Value!.Trim(), body.SmtpPort.Value!.Value, body.SmtpSecurity.Value!, body.SmtpUsername.Value?.Trim() ?? imap.Username);
        if (await VerifyAsync(imap, smtp, body.Password.Value!, ct) is { } refused) return refused;

        var now = clock.GetUtcNow();
        var mailbox = new Mailbox
        {
            TenantId = ctx.RequiredTenantId, Id = Guid.CreateVersion7(), Kind = kind,
            OwnerId = kind == MailboxKinds.Personal ? ctx.RequiredUserId : null,
            Name = body.Name.Value!.Trim(), Address = address,
            ImapHost = imap.Host, ImapPort = imap.Port, ImapSecurity = imap.Security, ImapUsername = imap.Username,
            SmtpHost = smtp.Host, SmtpPort = smtp.Port, SmtpSecurity = smtp.Security, SmtpUsername = smtp.Username,
            Secret = servers.Protect(body.Password.Value!), Visibility = visibility, IsActive = body.Active.Value ?? true,
            CreatedAt = now, UpdatedAt = now,
        };
        db.Add(mailbox);
        foreach (var member in members.Distinct()) db.Add(new MailboxMember { TenantId = mailbox.TenantId, MailboxId = mailbox.Id, UserId = member });
        await db.SaveChangesAsync(ct);
        watcher.Wake();
        return await ToDtoAsync(mailbox, ct);
    }

    public async Task<Outcome<MailboxDto>> UpdateAsync(Guid id, MailboxWrite body, CancellationToken ct)
    {
        if (await access.Usable().SingleOrDefaultAsync(m => m.Id == id, ct) is not { } mailbox) return new Outcome<MailboxDto>.NotFound();
        if (!access.CanManage(mailbox)) return new Outcome<MailboxDto>.Forbidden("Only the mailbox's owner or an administrator can change it.");
        var errors = body.BindingErrors();
        foreach (var (field, sent) in new[] { ("kind", body.Kind.Sent), ("address", body.Address.Sent), ("imapHost", body.ImapHost.Sent), ("imapPort", body.ImapPort.Sent),
                     ("imapSecurity", body.ImapSecurity.Sent), ("imapUsername", body.ImapUsername.Sent), ("smtpHost", body.SmtpHost.Sent), ("smtpPort", body.SmtpPort.Sent),
                     ("smtpSecurity", body.SmtpSecurity.Sent), ("smtpUsername", body.SmtpUsername.Sent) })
            if (sent) errors.Add(field, $"'{field}' cannot be changed; remove the mailbox and connect it again.");
        if (body.Name.IsSet) errors.Required("name", body.Name.Value, "Name", 100);
        if (body.Password.IsSet) errors.Required("password", body.Password.Value, "Password", 500);
        var visibility = body.Visibility.OneOf("visibility", MailboxVisibility.All, errors).Value;
        if (body.Active is { IsSet: true, Value: null }) errors.Add("active", "active must be true or false.");
        if (body.MemberIds.IsSet && mailbox.Kind != MailboxKinds.Shared) errors.Add("memberIds", "Only a shared inbox has members.");
        if (body.MemberIds.IsSet && !MailboxAccess.IsAdmin(ctx)) errors.Add("memberIds", "Only administrators grant a shared inbox.");
        await ValidateMembersAsync(body.MemberIds.Value ?? [], errors, ct);
        if (!errors.IsValid) return new Outcome<MailboxDto>.Invalid(errors.ToDictionary());

        if (body.Password.Value is { } password)
        {
            if (await VerifyAsync(MailServers.Imap(mailbox), MailServers.Smtp(mailbox), password, ct) is { } refused) return refused;
            mailbox.Secret = servers.Protect(password);
        }
        if (body.Name.Value is { } name) mailbox.Name = name.Trim();
        if (visibility is not null) mailbox.Visibility = visibility;
        if (body.Active.Value is { } active) mailbox.IsActive = active;
        if (body.MemberIds.Value is { } memberIds)
        {
            db.RemoveRange(await db.Set<MailboxMember>().Where(m => m.MailboxId == id).ToListAsync(ct));
            foreach (var member in memberIds.Distinct()) db.Add(new MailboxMember { TenantId = mailbox.TenantId, MailboxId = id, UserId = member });
        }
        await db.SaveChangesAsync(ct);
        watcher.Wake();
        return await ToDtoAsync(mailbox, ct);
    }

    public async Task<Outcome<bool>> DeleteAsync(Guid id, CancellationToken ct)
    {
        if (await access.Usable().SingleOrDefaultAsync(m => m.Id == id, ct) is not { } mailbox) return new Outcome<bool>.NotFound();
        if (!access.CanManage(mailbox)) return new Outcome<bool>.Forbidden("Only the mailbox's owner or an administrator can remove it.");
        db.Remove(mailbox);
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>Logs in to both servers; the problem to answer when either refuses, else null.</summary>
    private async Task<Outcome<MailboxDto>?> VerifyAsync(MailEndpoint imap, MailEndpoint smtp, string password, CancellationToken ct)
    {
        if (await ProblemAsync(async () => { using var client = await servers.OpenImapAsync(imap, password, ct); await client.DisconnectAsync(true, ct); }) is { } imapProblem)
            return new Outcome<MailboxDto>.Invalid(new Dictionary<string, string[]> { ["imap"] = [$"The IMAP server refused: {imapProblem}"] });
        if (await ProblemAsync(async () => { using var client = await servers.OpenSmtpAsync(smtp, password, ct); await client.DisconnectAsync(true, ct); }) is { } smtpProblem)
            return new Outcome<MailboxDto>.Invalid(new Dictionary<string, string[]> { ["smtp"] = [$"The SMTP server refused: {smtpProblem}"] });
        return null;
    }

    private static async Task<string?> ProblemAsync(Func<Task> attempt)
    {
        try
        {
            await attempt();
            return null;
        }
        catch (Exception e) when (e is MailServerRefusedException or AuthenticationException or ProtocolException or CommandException or IOException
                                      or System.Net.Sockets.SocketException or SslHandshakeException or MailKit.Net.Smtp.SmtpCommandException)
        {
            return e.Message;
        }
    }

    private static void Server(Optional<string?> host, Optional<int?> port, Optional<string?> security, string prefix, ValidationErrors errors)
    {
        errors.Required($"{prefix}Host", host.Value, $"{prefix.ToUpperInvariant()} host", 255);
        if (port.Value is not (>= 1 and <= 65535)) errors.Add($"{prefix}Port", $"{prefix.ToUpperInvariant()} port must be 1 to 65535.");
        if (security.Value is null) errors.Add($"{prefix}Security", $"{prefix}Security is required: one of {string.Join(", ", MailSecurity.All)}.");
        else security.OneOf($"{prefix}Security", MailSecurity.All, errors);
    }

    private async Task ValidateMembersAsync(List<Guid> members, ValidationErrors errors, CancellationToken ct)
    {
        if (members.Count == 0) return;
        var known = await db.Memberships.AsNoTracking().Where(m => members.Contains(m.UserId)).Select(m => m.UserId).ToListAsync(ct);
        if (members.Except(known).Any()) errors.Add("memberIds", "Every member must be a user of this tenant.");
    }

    private bool ActivityPermissionsCanWrite() => Activities.ActivityPermissions.CanWrite(ctx);

    private async Task<MailboxDto> ToDtoAsync(Mailbox m, CancellationToken ct)
    {
        var members = await db.Set<MailboxMember>().AsNoTracking().Where(x => x.MailboxId == m.Id).Select(x => x.UserId).ToListAsync(ct);
        MailboxStatusDto? status = null;
        if (access.CanManage(m))
        {
            var folders = await db.Set<MailboxFolder>().AsNoTracking().Where(f => f.MailboxId == m.Id).OrderBy(f => f.Role)
                .Select(f => new MailboxFolderDto(f.Role, f.Name, f.UidValidity, f.LastUid, f.SyncedAt)).ToListAsync(ct);
            var count = await db.Set<EmailMessage>().CountAsync(e => e.MailboxId == m.Id, ct);
            status = new MailboxStatusDto(m.LastSyncAt, m.LastError, m.LastErrorAt, m.LastReconciledAt, m.LastReconcileMissed, count,
                m.WatchUntil > clock.GetUtcNow(), folders);
        }
        return new MailboxDto(m.Id, m.Kind, m.OwnerId, m.Name, m.Address, m.AuthKind,
            new MailServerDto(m.ImapHost, m.ImapPort, m.ImapSecurity, m.ImapUsername),
            new MailServerDto(m.SmtpHost, m.SmtpPort, m.SmtpSecurity, m.SmtpUsername),
            m.Visibility, m.IsActive, members, status, m.CreatedAt);
    }
}

/// <summary>Who may use which mailbox: the owner of a personal one, a shared inbox's members, and administrators.</summary>
[Scoped]
public sealed class MailboxAccess(SwitchboardDbContext db, TenantContext ctx)
{
    public static bool IsAdmin(TenantContext ctx) => ctx.Role is TenantRole.Admin or TenantRole.Superadmin;

    /// <summary>Mailboxes the caller may read and send from.</summary>
    public IQueryable<Mailbox> Usable()
    {
        if (IsAdmin(ctx)) return db.Set<Mailbox>();
        var user = ctx.UserId;
        return db.Set<Mailbox>().Where(m => m.OwnerId == user
            || (m.Kind == MailboxKinds.Shared && db.Set<MailboxMember>().Any(x => x.MailboxId == m.Id && x.UserId == user)));
    }

    /// <summary>Its owner and administrators change it and see its status.</summary>
    public bool CanManage(Mailbox mailbox) => IsAdmin(ctx) || (mailbox.OwnerId is { } owner && owner == ctx.UserId);
}
