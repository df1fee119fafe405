using Switchboard.Platform;
using System.Text.RegularExpressions;
using Npgsql;
using Switchboard.Features.Contacts;
using Switchboard.Features.Mailboxes;
using Switchboard.Features.Support.Triage;
using Switchboard.Features.Webhooks;

namespace Switchboard.Features.Support.Tickets;

/// <summary>
/// Turns inbound mail on a support inbox into tickets (ADR 0058). A message that names a message of a ticket in
/// In-Reply-To or References joins that ticket, whatever its subject; so does one whose subject carries the ticket's
/// reference ([#1042]) when its sender already takes part in the ticket. Anything else — a forward without those
/// headers, a second requester with the same subject — is a new ticket, triaged on arrival. The job that calls this may
/// run twice: an email joins one ticket at most (its id is the key of ticket_messages), checked under a per-mailbox
/// lock. Mail dated before the inbox became a support inbox (the history a first sync imports) is left alone.
/// </summary>
// Wide on purpose: database, tenant and clock are ambient; an incoming ticket is triaged, given its due time from the
// support settings and the tenant's holidays, and announced as a webhook event.
[Scoped]
public sealed partial class TicketIntake(
    SwitchboardDbContext db, TenantContext ctx, TriageService triage, SupportSettingsService settings, WebhookEvents events, TenantHolidays holidays, TimeProvider clock)
    : IInboundEmailObserver
{
    public async Task OnInboundAsync(InboundEmail notice, CancellationToken ct)
    {
        if (await db.Set<SupportInbox>().AsNoTracking().SingleOrDefaultAsync(s => s.MailboxId == notice.MailboxId, ct) is not { } inbox) return;
        var email = await db.Set<EmailMessage>().AsNoTracking().SingleOrDefaultAsync(m => m.Id == notice.EmailId, ct);
        if (email is null || email.Direction != "inbound" || email.SentAt < inbox.Since) return;
        var mailbox = await db.Set<Mailbox>().AsNoTracking().SingleAsync(m => m.Id == email.MailboxId, ct);
        var from = email.FromAddress.Trim().ToLowerInvariant();
        // Our own copies and auto-replies to ourselves never open tickets.
        if (from == mailbox.Address.Trim().ToLowerInvariant() || from.Length == 0) return;
        if (await db.Set<TicketMessage>().AnyAsync(m => m.EmailId == email.Id, ct)) return;

        // Triage asks the model (seconds): before the transaction, only when the message does not join a ticket.
        Prepared? prepared = await MatchAsync(email, ct) is null ? await PrepareAsync(email, ct) : null;

        await using var work = await db.BeginUnitOfWorkAsync(ct);
        await db.Database.ExecuteSqlAsync($"select pg_advisory_xact_lock(hashtextextended({"ticket-intake:" + email.MailboxId}, 0))", ct);
        if (await db.Set<TicketMessage>().AnyAsync(m => m.EmailId == email.Id, ct)) return;
        if (await MatchAsync(email, ct) is { } ticket)
        {
            db.Add(new TicketMessage { TenantId = email.TenantId, EmailId = email.Id, TicketId = ticket.Id });
            if (from == ticket.RequesterAddress && ticket.Status != TicketStatuses.Open)
            {
                ticket.Status = TicketStatuses.Open;
                ticket.SolvedAt = null;
            }
        }
        else
        {
            prepared ??= await PrepareAsync(email, ct);
            await CreateAsync(email, prepared, ct);
        }
        await db.SaveChangesAsync(ct);
        await work.CommitAsync(ct);
    }

    /// <summary>The ticket this message continues: by its headers, else by the reference in its subject from a participant.</summary>
    private async Task<Ticket?> MatchAsync(EmailMessage email, CancellationToken ct)
    {
        var referenced = email.References.Append(email.InReplyTo).OfType<string>().Distinct().ToList();
        if (referenced.Count > 0)
        {
            var byHeaders = await (from tm in db.Set<TicketMessage>()
                                   join m in db.Set<EmailMessage>() on tm.EmailId equals m.Id
                                   join t in db.Set<Ticket>() on tm.TicketId equals t.Id
                                   where t.MailboxId == email.MailboxId && referenced.Contains(m.MessageId)
                                   orderby m.SentAt descending
                                   select t).FirstOrDefaultAsync(ct);
            if (byHeaders is not null) return byHeaders;
        }
        if (ReferenceInSubject().Match(email.Subject) is not { Success: true } match || !int.TryParse(match.Groups[1].Value, out var number)) return null;
        if (await db.Set<Ticket>().SingleOrDefaultAsync(t => t.Number == number && t.MailboxId == email.MailboxId, ct) is not { } ticket) return null;
        var from = email.FromAddress.Trim().ToLowerInvariant();
        if (ticket.RequesterAddress == from) return ticket;
        // Someone else who was on the conversation (a colleague in cc); a stranger quoting a number starts a ticket of their own.
        var participants = await (from tm in db.Set<TicketMessage>()
                                  join m in db.Set<EmailMessage>() on tm.EmailId equals m.Id
                                  where tm.TicketId == ticket.Id
                                  select new { m.FromAddress, m.ToAddresses, m.CcAddresses }).ToListAsync(ct);
        return participants.Any(p => p.ToAddresses.Concat(p.CcAddresses).Append(p.FromAddress).Any(a => a.Trim().ToLowerInvariant() == from)) ? ticket : null;
    }

    private sealed record Prepared(int Number, TriageResult Triage);

    /// <summary>Takes the next ticket number (a number burnt by a lost race leaves a gap, which is allowed) and triages the email.</summary>
    private async Task<Prepared> PrepareAsync(EmailMessage email, CancellationToken ct)
    {
        var number = (await db.Database.SqlQuery<int>($"""
            insert into ticket_counters (tenant_id, last_number) values ({email.TenantId}, 1)
            on conflict (tenant_id) do update set last_number = ticket_counters.last_number + 1
            returning last_number as "Value"
            """).ToListAsync(ct)).Single();
        var input = new TriageInput(EmailText.CleanSubject(email.Subject), TicketMapping.PlainText(email), email.FromName, email.FromAddress,
            await settings.ConfigurationAsync(ct), $"#{number}");
        return new Prepared(number, await triage.TriageAsync(input, ct));
    }

    private async Task CreateAsync(EmailMessage email, Prepared prepared, CancellationToken ct)
    {
        var result = prepared.Triage;
        var now = clock.GetUtcNow();
        var (firstDue, resolutionDue) = SlaClock.DueTimes(now, result.Sla, TimeZones.FindOrUtc(ctx.Tenant?.TimeZone), await holidays.DaysAsync(ct));
        var address = email.FromAddress.Trim().ToLowerInvariant();
        var ticket = new Ticket
        {
            TenantId = email.TenantId, Id = Guid.CreateVersion7(now), Number = prepared.Number, MailboxId = email.MailboxId,
            Subject = Clip(email.Subject.Trim(), 1_000)!, RequesterAddress = address, RequesterName = Clip(email.FromName?.Trim(), 200),
            RequesterContactId = await RequesterAsync(email, address, ct),
            Status = TicketStatuses.Open, Priority = result.Priority, Category = result.Category, Sentiment = result.Sentiment,
            SuggestedReply = Clip(result.SuggestedReply, 4_000) ?? "", TriageEngine = result.Engine, TriageModel = result.Model, TriageFallback = result.Fallback,
            TriageReasons = JsonSerializer.SerializeToDocument(result.Reasons, JsonSerializerOptions.Web),
            TriageNotes = JsonSerializer.SerializeToDocument(result.Notes, JsonSerializerOptions.Web),
            FirstResponseDueAt = firstDue, ResolutionDueAt = resolutionDue, CreatedAt = now, UpdatedAt = now,
        };
        db.Add(ticket);
        db.Add(new TicketMessage { TenantId = email.TenantId, EmailId = email.Id, TicketId = ticket.Id });
        events.Add("ticket.created", ticket.ToDto(now));
    }

    /// <summary>The contact with the address, else a new one — with the account whose domain is the address's, if any.</summary>
    private async Task<Guid> RequesterAsync(EmailMessage email, string address, CancellationToken ct)
    {
        var existing = await db.Database.SqlQueryRaw<Guid>("""
            select id as "Value" from contacts c where exists (select 1 from unnest(c.emails) e where lower(e) = @address)
            order by created_at limit 1
            """, new NpgsqlParameter("address", address)).ToListAsync(ct);
        if (existing.Count > 0) return existing[0];
        var domain = address.Split('@').Last();
        var account = (await db.Database.SqlQueryRaw<Guid>("select id as \"Value\" from accounts where domain = @domain order by created_at limit 1",
            new NpgsqlParameter("domain", domain)).ToListAsync(ct)).Cast<Guid?>().FirstOrDefault();
        var name = (email.FromName ?? "").Trim().Trim('"');
        var parts = name.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var (first, last) = parts.Length switch
        {
            2 => (parts[0], parts[1]),
            1 => ("", parts[0]),
            _ => ("", address),
        };
        var contact = new Contact
        {
            TenantId = email.TenantId, Id = Guid.CreateVersion7(), FirstName = Clip(first, 100)!, LastName = Clip(last, 100)!,
            Emails = [address], AccountId = account,
        };
        db.Add(contact);
        return contact.Id;
    }

    private static string? Clip(string? text, int max) => text is { Length: var n } && n > max ? text[..max] : text;

    [GeneratedRegex(@"\[#(\d{1,9})\]")]
    private static partial Regex ReferenceInSubject();
}
