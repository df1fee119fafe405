using Microsoft.AspNetCore.Identity;
using Switchboard.Features.Users;
using Switchboard.Platform.Email;

namespace Switchboard.Features.Invitations;

public sealed record InvitationDto(Guid Id, string Email, string Role, string Status, string? InvitedBy, DateTimeOffset CreatedAt,
    DateTimeOffset SentAt, DateTimeOffset ExpiresAt, string? Department, string? Phone);

/// <summary>The body of POST /api/v1/invitations.</summary>
public sealed record InvitationCreate : RequestBody
{
    public Optional<string?> Email { get; init; }
    /// <summary>One of <see cref="TenantRoles.MembershipRoles"/>.</summary>
    public Optional<string?> Role { get; init; }
    public Optional<string?> Department { get; init; }
    /// <summary>The member's own phone for click-to-call, read in the tenant's country.</summary>
    public Optional<string?> Phone { get; init; }
}

/// <summary>
/// Invitations (ADR 0040): how people join a tenant. Administrators invite an address with a role; the person accepts
/// through the emailed link, with a new account or the one they have. Nothing an administrator sees depends on whether
/// the address has an account: the same answer, the same list, and the email itself is the only place that knows.
/// This is the administrators' side; the link's holder's side is <see cref="InvitationAcceptance"/>.
/// </summary>
// Wide on purpose: database, tenant, clock and audit are ambient; the rest are the invitation's own steps (accounts,
// its email and link). Accepting is <see cref="InvitationAcceptance"/>.
[Scoped]
public sealed class InvitationService(SwitchboardDbContext db, TenantContext ctx, UserManager<AppUser> users, EmailOutbox outbox, AppLinks links,
    AuditLog audit, TimeProvider clock)
{

    public async Task<Outcome<InvitationDto>> CreateAsync(InvitationCreate body, CancellationToken ct)
    {
        if (!UserService.CanManage(ctx) || ctx.TenantId is null) return new Outcome<InvitationDto>.Forbidden("Only administrators can invite people.");
        var errors = body.BindingErrors();
        var email = body.Email.Value?.Trim();
        var role = body.Role.OneOf("role", TenantRoles.MembershipRoles, errors).Value;
        errors.Required("email", email, "Email", 254);
        errors.Email("email", email);
        if (role is null && !errors.Has("role")) errors.Add("role", $"Role is required: one of {string.Join(", ", TenantRoles.MembershipRoles)}.");
        errors.MaxLength("department", body.Department.Value, "Department", 100);
        var phone = Phone(body.Phone.Value, errors);
        if (!errors.IsValid) return new Outcome<InvitationDto>.Invalid(errors.ToDictionary());

        await using var unit = await db.BeginUnitOfWorkAsync(ct);
        if (await RefusalAsync(email!, ct) is { } refusal) return new Outcome<InvitationDto>.Conflict(refusal);
        var invitation = await AddAsync(email!, role!, body.Department.Value, phone, null, ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (DatabaseErrors.IsUniqueViolation(e, out _))
        {
            return new Outcome<InvitationDto>.Conflict($"{email} was invited by someone else a moment ago; resend that invitation instead.");
        }
        await unit.CommitAsync(ct);
        return (await ListQuery(i => i.Id == invitation.Id).ToListAsync(ct)).Select(ToDto).Single();
    }

    /// <summary>Why <paramref name="email"/> cannot be invited to this tenant now (a member already, or invited already), or null.</summary>
    public async Task<string?> RefusalAsync(string email, CancellationToken ct)
    {
        var key = Invitation.KeyOf(email);
        var normalized = users.NormalizeEmail(email);
        if (await (from m in db.Memberships join u in db.Users on m.UserId equals u.Id where u.NormalizedEmail == normalized select m).AnyAsync(ct))
            return $"{email} is already a member of this workspace.";
        var now = clock.GetUtcNow();
        if (await db.Invitations.AnyAsync(i => i.EmailKey == key && i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now, ct))
            return $"{email} already has a pending invitation; resend it instead.";
        return null;
    }

    /// <summary>Adds an invitation and its email to the unit of work (an expired one for the address is withdrawn first).</summary>
    public async Task<Invitation> AddAsync(string email, string role, string? department, string? phone, string? greetingName, CancellationToken ct)
    {
        var key = Invitation.KeyOf(email);
        var now = clock.GetUtcNow();
        // An expired invitation still holds the address's pending slot: withdraw it (callers have refused a live one).
        await db.Invitations.Where(i => i.EmailKey == key && i.AcceptedAt == null && i.RevokedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(i => i.RevokedAt, now), ct);
        var (token, hash) = SecretTokens.New();
        var invitation = new Invitation
        {
            TenantId = ctx.TenantId!.Value, Id = Guid.CreateVersion7(), Email = email, EmailKey = key, Role = role, Department = department, Phone = phone, GreetingName = greetingName,
            TokenHash = hash, InvitedBy = ctx.UserId, CreatedAt = now, SentAt = now, ExpiresAt = now + Invitation.Lifetime,
        };
        db.Invitations.Add(invitation);
        await SendAsync(invitation, token, ct);
        audit.Add(AuditActions.InvitationSent, ctx.TenantId, "invitation", invitation.Id.ToString(), new { email, role });
        return invitation;
    }

    public async Task<Outcome<IReadOnlyList<InvitationDto>>> ListAsync(CancellationToken ct)
    {
        if (!UserService.CanManage(ctx) || ctx.TenantId is null) return new Outcome<IReadOnlyList<InvitationDto>>.Forbidden("Only administrators can see invitations.");
        var rows = await ListQuery(i => i.AcceptedAt == null && i.RevokedAt == null).ToListAsync(ct);
        return rows.Select(ToDto).ToList();
    }

    public async Task<Outcome<InvitationDto>> RevokeAsync(Guid id, CancellationToken ct)
    {
        if (!UserService.CanManage(ctx)) return new Outcome<InvitationDto>.NotFound();
        var invitation = await db.Invitations.SingleOrDefaultAsync(i => i.Id == id, ct);
        if (invitation is null || invitation.RevokedAt is not null) return new Outcome<InvitationDto>.NotFound();
        if (invitation.AcceptedAt is not null) return new Outcome<InvitationDto>.Conflict($"{invitation.Email} already accepted this invitation; change their membership on the Users page instead.");
        invitation.RevokedAt = clock.GetUtcNow();
        audit.Add(AuditActions.InvitationRevoked, ctx.TenantId, "invitation", id.ToString(), new { invitation.Email });
        await db.SaveChangesAsync(ct);
        return (await ListQuery(i => i.Id == id).ToListAsync(ct)).Select(ToDto).Single();
    }

    /// <summary>Sends the invitation again with a new link (the older one stops working) and 7 more days.</summary>
    public async Task<Outcome<InvitationDto>> ResendAsync(Guid id, CancellationToken ct)
    {
        if (!UserService.CanManage(ctx)) return new Outcome<InvitationDto>.NotFound();
        var invitation = await db.Invitations.SingleOrDefaultAsync(i => i.Id == id, ct);
        if (invitation is null || invitation.RevokedAt is not null) return new Outcome<InvitationDto>.NotFound();
        if (invitation.AcceptedAt is not null) return new Outcome<InvitationDto>.Conflict($"{invitation.Email} already accepted this invitation.");
        var (token, hash) = SecretTokens.New();
        var now = clock.GetUtcNow();
        invitation.TokenHash = hash;
        invitation.SentAt = now;
        invitation.ExpiresAt = now + Invitation.Lifetime;
        await SendAsync(invitation, token, ct);
        audit.Add(AuditActions.InvitationResent, ctx.TenantId, "invitation", id.ToString(), new { invitation.Email });
        await db.SaveChangesAsync(ct);
        return (await ListQuery(i => i.Id == id).ToListAsync(ct)).Select(ToDto).Single();
    }

    private async Task SendAsync(Invitation invitation, string token, CancellationToken ct)
    {
        var account = await db.Users.AsNoTracking().Where(u => u.NormalizedEmail == users.NormalizeEmail(invitation.Email))
            .Select(u => new { u.FirstName, u.LastName }).SingleOrDefaultAsync(ct);
        var inviter = ctx.UserId is { } me
            ? await db.Users.AsNoTracking().Where(u => u.Id == me).Select(u => u.FirstName + " " + u.LastName).SingleOrDefaultAsync(ct)
            : null;
        var tenant = ctx.Tenant!;
        var email = new InvitationEmail(inviter?.Trim() is { Length: > 0 } name ? name : tenant.Name, tenant.Name, Display.Label(invitation.Role),
            links.To($"/invitations/accept?token={token}"), Display.DateTime(invitation.ExpiresAt, tenant), HasAccount: account is not null);
        var greeting = account is not null ? Display.FullName(account.FirstName, account.LastName) : invitation.GreetingName;
        await outbox.QueueAsync(email, new EmailRecipient(invitation.Email, greeting), invitation.TenantId, ct);
    }

    private string? Phone(string? value, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var parsed = PhoneNumbers.Normalize(value, ctx.Tenant?.DefaultCountry ?? "US");
        if (!parsed.Success) errors.Add("phone", parsed.Error!);
        return parsed.E164;
    }

    private sealed record Row(Invitation Invitation, string? Inviter);

    private IQueryable<Row> ListQuery(System.Linq.Expressions.Expression<Func<Invitation, bool>> filter) =>
        from i in db.Invitations.AsNoTracking().Where(filter)
        orderby i.CreatedAt descending
        select new Row(i, db.Users.Where(u => u.Id == i.InvitedBy).Select(u => u.FirstName + " " + u.LastName).FirstOrDefault());

    private InvitationDto ToDto(Row row)
    {
        var i = row.Invitation;
        return new InvitationDto(i.Id, i.Email, i.Role, i.Status(clock.GetUtcNow()),
            row.Inviter?.Trim(),
            i.CreatedAt, i.SentAt, i.ExpiresAt, i.Department, i.Phone);
    }
}
