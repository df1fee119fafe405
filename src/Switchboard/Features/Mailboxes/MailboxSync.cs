using System.Security.Cryptography;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MimeKit;

namespace Switchboard.Features.Mailboxes;

/// <summary>What one sync of a mailbox did.</summary>
public sealed record SyncReport(int Imported, int Missed, int Rematched, int Moved, int Removed);

/// <summary>
/// Syncs a mailbox's INBOX and Sent folder into email_messages, in the current tenant. Per folder it keeps the
/// UIDVALIDITY and the highest UID stored (mailbox_folders), and compares the server's full UID list with the stored
/// one on every run, so it imports what is new, finds what an earlier run missed (counted as "missed", which the
/// nightly reconciliation reports), and notices what left the folder. Messages are fetched and committed in batches
/// under a per-mailbox advisory lock; every insert is checked against the unique keys (folder, UIDVALIDITY, UID) and
/// Message-ID first, so a sync interrupted anywhere, run twice at once, or run after a UIDVALIDITY change never stores
/// a message twice. A message that leaves a folder keeps its CRM copy and is marked moved (with the folder it was
/// found in) or removed.
/// </summary>
// Wide on purpose: database, options, clock and logger are ambient; the sync reads the mailbox's servers, links what
// it stores to records and queues its next run.
[Scoped]
public sealed class MailboxSync(
    SwitchboardDbContext db, MailServers servers, EmailLinker linker, JobQueue jobs,
    IOptions<MailboxOptions> options, TimeProvider clock, ILogger<MailboxSync> logger)
{
    private const int MaxTextLength = 100_000;

    public async Task<SyncReport> SyncAsync(Guid mailboxId, bool reconcile, CancellationToken ct)
    {
        var mailbox = await db.Set<Mailbox>().AsNoTracking().SingleOrDefaultAsync(m => m.Id == mailboxId, ct)
            ?? throw new InvalidOperationException($"Mailbox {mailboxId} does not exist.");
        try
        {
            using var client = await servers.OpenImapAsync(mailbox, ct);
            var report = await SyncAsync(client, mailbox, ct);
            await client.DisconnectAsync(true, ct);
            await RecordAsync(mailbox.Id, report, reconcile, null, ct);
            return report;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            await RecordAsync(mailbox.Id, null, reconcile, e.Message, CancellationToken.None);
            throw;
        }
    }

    /// <summary>Syncs over a client already connected (the watcher's).</summary>
    public async Task<SyncReport> SyncAsync(ImapClient client, Mailbox mailbox, CancellationToken ct)
    {
        var folders = new List<(string Role, IMailFolder Folder)> { (FolderRoles.Inbox, client.Inbox) };
        if (await MailServers.SentFolderAsync(client, ct) is { } sent) folders.Add((FolderRoles.Sent, sent));
        var total = new SyncReport(0, 0, 0, 0, 0);
        foreach (var (role, folder) in folders)
        {
            var report = await SyncFolderAsync(client, mailbox, role, folder, ct);
            total = new SyncReport(total.Imported + report.Imported, total.Missed + report.Missed, total.Rematched + report.Rematched,
                total.Moved + report.Moved, total.Removed + report.Removed);
        }
        return total;
    }

    private async Task<SyncReport> SyncFolderAsync(ImapClient client, Mailbox mailbox, string role, IMailFolder folder, CancellationToken ct)
    {
        await folder.OpenAsync(FolderAccess.ReadOnly, ct);
        var validity = (long)folder.UidValidity;
        var state = await db.Set<MailboxFolder>().AsNoTracking().SingleOrDefaultAsync(f => f.MailboxId == mailbox.Id && f.Role == role, ct);
        var lastUid = state is not null && state.UidValidity == validity ? state.LastUid : 0;
        var validityChanged = state is not null && state.UidValidity != validity;
        if (state is null || validityChanged)
            await SaveStateAsync(mailbox, role, folder.FullName, validity, 0, ct);

        var onServer = (await folder.SearchAsync(SearchQuery.All, ct)).Select(u => (long)u.Id).ToHashSet();
        var stored = (await db.Set<EmailMessage>().AsNoTracking()
            .Where(m => m.MailboxId == mailbox.Id && m.Folder == role && m.UidValidity == validity && m.Uid != null)
            .Select(m => m.Uid!.Value).ToListAsync(ct)).ToHashSet();
        var wanted = onServer.Where(uid => !stored.Contains(uid)).Order().ToList();
        int imported = 0, missed = 0, rematched = 0;
        foreach (var batch in wanted.Chunk(options.Value.BatchSize))
        {
            var result = await ImportBatchAsync(mailbox, role, folder, validity, batch, ct);
            imported += result.Imported;
            rematched += result.Rematched;
            if (!validityChanged) missed += batch.Count(uid => uid <= lastUid);
            lastUid = Math.Max(lastUid, batch.Max());
        }
        if (wanted.Count == 0) await SaveStateAsync(mailbox, role, folder.FullName, validity, Math.Max(lastUid, onServer.DefaultIfEmpty(0).Max()), ct);
        var (moved, removed) = await MarkDepartedAsync(client, mailbox, role, folder, validity, onServer, ct);
        if (missed > 0) logger.LogWarning("Mailbox {MailboxId} {Folder}: imported {Missed} messages an earlier sync had missed", mailbox.Id, role, missed);
        return new SyncReport(imported, missed, rematched, moved, removed);
    }

    private async Task<(int Imported, int Rematched)> ImportBatchAsync(Mailbox mailbox, string role, IMailFolder folder, long validity, long[] uids, CancellationToken ct)
    {
        // Download outside the transaction; the lock is held only while writing.
        var downloaded = new List<(long Uid, MimeMessage Message)>();
        foreach (var uid in uids) downloaded.Add((uid, await folder.GetMessageAsync(new UniqueId((uint)uid), ct)));

        int imported = 0, rematched = 0;
        await using (var work = await db.BeginUnitOfWorkAsync(ct))
        {
            await LockAsync(mailbox.Id, ct);
            foreach (var (uid, message) in downloaded)
            {
                var messageId = MessageIdOf(message);
                if (await db.Set<EmailMessage>().AnyAsync(m => m.MailboxId == mailbox.Id && m.Folder == role && m.UidValidity == validity && m.Uid == uid, ct)) continue;
                if (await db.Set<EmailMessage>().SingleOrDefaultAsync(m => m.MailboxId == mailbox.Id && m.MessageId == messageId, ct) is { } known)
                {
                    // Known by Message-ID: sent from the CRM, moved between the synced folders, or renumbered by a UIDVALIDITY change.
                    known.Folder = role;
                    known.UidValidity = validity;
                    known.Uid = uid;
                    known.ServerState = ServerStates.Present;
                    known.ServerFolder = null;
                    known.ServerStateAt = null;
                    rematched++;
                    continue;
                }
                var email = ToEntity(mailbox, role, validity, uid, messageId, message);
                db.Add(email);
                var links = await linker.LinkAsync(email, mailbox.Address, ct);
                db.AddRange(links);
                imported++;
                // The observers hear of it through a job written in this same transaction: never lost, never for a rollback.
                if (email.Direction == "inbound")
                    await jobs.EnqueueAsync(InboundEmailNotice.JobKind, new InboundEmail(email.TenantId, mailbox.Id, email.Id, email.FromAddress, email.Subject,
                        links.Select(l => new EmailLinkDto(l.RelatedType, l.RelatedId, l.ThreadId)).ToList()), email.TenantId, $"{InboundEmailNotice.JobKind}:{email.Id}", ct: ct);
            }
            await db.SaveChangesAsync(ct);
            await SaveStateAsync(mailbox, role, folder.FullName, validity, uids.Max(), ct);
            await work.CommitAsync(ct);
        }
        db.ChangeTracker.Clear();
        return (imported, rematched);
    }

    /// <summary>Stored messages of this folder the server no longer has there: moved (found in another folder) or removed.</summary>
    private async Task<(int Moved, int Removed)> MarkDepartedAsync(ImapClient client, Mailbox mailbox, string role, IMailFolder folder, long validity,
        HashSet<long> onServer, CancellationToken ct)
    {
        var present = await db.Set<EmailMessage>().AsNoTracking()
            .Where(m => m.MailboxId == mailbox.Id && m.Folder == role && m.ServerState != ServerStates.Removed && m.Uid != null)
            .Select(m => new { m.Id, m.UidValidity, m.Uid, m.MessageId, m.ServerState }).ToListAsync(ct);
        var departed = present.Where(m => m.UidValidity != validity || !onServer.Contains(m.Uid!.Value)).ToList();
        if (departed.Count == 0) return (0, 0);
        var others = await OtherFoldersAsync(client, folder, ct);
        int moved = 0, removed = 0;
        var now = clock.GetUtcNow();
        foreach (var message in departed)
        {
            string? foundIn = null;
            foreach (var other in others)
            {
                await other.OpenAsync(FolderAccess.ReadOnly, ct);
                if ((await other.SearchAsync(SearchQuery.HeaderContains("Message-ID", message.MessageId), ct)).Count > 0) { foundIn = other.FullName; break; }
            }
            var newState = foundIn is null ? ServerStates.Removed : ServerStates.Moved;
            if (message.ServerState == newState) continue;
            await db.Set<EmailMessage>().Where(m => m.Id == message.Id).ExecuteUpdateAsync(s => s
                .SetProperty(m => m.ServerState, newState).SetProperty(m => m.ServerFolder, foundIn).SetProperty(m => m.ServerStateAt, now), ct);
            if (foundIn is null) removed++; else moved++;
        }
        return (moved, removed);
    }

    private static async Task<List<IMailFolder>> OtherFoldersAsync(ImapClient client, IMailFolder folder, CancellationToken ct)
    {
        var personal = client.GetFolder(client.PersonalNamespaces[0]);
        var all = (await personal.GetSubfoldersAsync(false, ct)).ToList();
        if (!all.Any(f => f.FullName == client.Inbox.FullName)) all.Add(client.Inbox);
        return all.Where(f => f.FullName != folder.FullName && !f.Attributes.HasFlag(FolderAttributes.NonExistent) && !f.Attributes.HasFlag(FolderAttributes.NoSelect)).ToList();
    }

    private EmailMessage ToEntity(Mailbox mailbox, string role, long validity, long uid, string messageId, MimeMessage message)
    {
        var from = message.From.Mailboxes.FirstOrDefault();
        var fromAddress = from?.Address ?? "";
        var outbound = fromAddress.Equals(mailbox.Address, StringComparison.OrdinalIgnoreCase) || role == FolderRoles.Sent;
        var now = clock.GetUtcNow();
        return new EmailMessage
        {
            TenantId = mailbox.TenantId, Id = Guid.CreateVersion7(), MailboxId = mailbox.Id, Folder = role, UidValidity = validity, Uid = uid,
            MessageId = messageId, InReplyTo = Bracket(message.InReplyTo),
            References = message.References.Select(r => Bracket(r)!).ToList(),
            Direction = outbound ? "outbound" : "inbound", FromAddress = fromAddress, FromName = NullIfEmpty(from?.Name),
            ToAddresses = message.To.Mailboxes.Select(m => m.Address).ToList(), CcAddresses = message.Cc.Mailboxes.Select(m => m.Address).ToList(),
            Subject = message.Subject ?? "", TextBody = Truncate(message.TextBody), HtmlBody = Truncate(message.HtmlBody),
            SentAt = message.Date == DateTimeOffset.MinValue ? now : message.Date.ToUniversalTime(), SyncedAt = now,
        };
    }

    /// <summary>The message's Message-ID in angle brackets; for one without, a stable stand-in made from what it says.</summary>
    public static string MessageIdOf(MimeMessage message)
    {
        if (!string.IsNullOrWhiteSpace(message.MessageId)) return Bracket(message.MessageId)!;
        var fingerprint = $"{message.From}|{message.To}|{message.Date:O}|{message.Subject}";
        return $"<{Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(fingerprint)))[..32]}@no-message-id.switchboard.invalid>";
    }

    public static string? Bracket(string? id) => string.IsNullOrWhiteSpace(id) ? null : id.StartsWith('<') ? id : $"<{id}>";

    private static string? Truncate(string? text) => text is { Length: > MaxTextLength } ? text[..MaxTextLength] : text;

    private static string? NullIfEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

    private Task LockAsync(Guid mailboxId, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"select pg_advisory_xact_lock(hashtextextended({"mailbox-sync:" + mailboxId}, 0))", ct);

    private async Task SaveStateAsync(Mailbox mailbox, string role, string name, long validity, long lastUid, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        // Never moves last_uid backwards within one UIDVALIDITY (two syncs may finish out of order).
        await db.Database.ExecuteSqlAsync($"""
            insert into mailbox_folders (tenant_id, mailbox_id, role, name, uid_validity, last_uid, synced_at)
            values ({mailbox.TenantId}, {mailbox.Id}, {role}, {name}, {validity}, {lastUid}, {now})
            on conflict (tenant_id, mailbox_id, role) do update set
              name = excluded.name, synced_at = excluded.synced_at,
              last_uid = case when mailbox_folders.uid_validity = excluded.uid_validity
                              then greatest(mailbox_folders.last_uid, excluded.last_uid) else excluded.last_uid end,
              uid_validity = excluded.uid_validity
            """, ct);
    }

    public async Task RecordAsync(Guid mailboxId, SyncReport? report, bool reconcile, string? error, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var rows = db.Set<Mailbox>().Where(m => m.Id == mailboxId);
        if (error is not null)
            await rows.ExecuteUpdateAsync(s => s.SetProperty(m => m.LastError, error.Length > 1000 ? error[..1000] : error).SetProperty(m => m.LastErrorAt, now), ct);
        else if (reconcile)
            await rows.ExecuteUpdateAsync(s => s.SetProperty(m => m.LastSyncAt, now).SetProperty(m => m.LastError, (string?)null)
                .SetProperty(m => m.LastReconciledAt, now).SetProperty(m => m.LastReconcileMissed, report!.Missed), ct);
        else
            await rows.ExecuteUpdateAsync(s => s.SetProperty(m => m.LastSyncAt, now).SetProperty(m => m.LastError, (string?)null), ct);
    }
}
