using Microsoft.AspNetCore.Identity;
using Switchboard.Features.Tenants;

namespace Switchboard.Features.Users;

/// <summary>A member. <see cref="LockedUntil"/>: the account is locked after too many wrong passwords until then (null: not locked).</summary>
/// <param name="TwoFactor">Whether the person has a confirmed second factor (an authenticator app or a passkey).</param>
public sealed record UserDto(Guid Id, string Email, string FirstName, string LastName, string Role, bool IsActive, DateTimeOffset CreatedAt, string? Phone = null,
    string? Department = null, DateTimeOffset? LockedUntil = null, bool TwoFactor = false);

/// <summary>
/// The body of POST /api/v1/users. From a tenant admin it is an invitation (email and role; ADR 0040). From a
/// superadmin an existing account (by email) joins with the role at once, and a new one needs names and a password.
/// </summary>
public sealed record UserCreate : RequestBody
{
    public Optional<string?> Email { get; init; }
    public Optional<string?> FirstName { get; init; }
    public Optional<string?> LastName { get; init; }
    /// <summary>One of <see cref="TenantRoles.MembershipRoles"/>.</summary>
    public Optional<string?> Role { get; init; }
    public Optional<string?> Password { get; init; }
    /// <summary>Superadmins only: add the user to this tenant instead of the current one.</summary>
    public Optional<Guid?> TenantId { get; init; }

    /// <summary>
    /// The invitation a tenant admin's request stands for. Names are the invitee's to choose and a password is never
    /// set for them: a password is refused with <paramref name="refused"/>.
    /// </summary>
    public Invitations.InvitationCreate AsInvitation(out IDictionary<string, string[]>? refused)
    {
        refused = Password is { IsSet: true, Value: not null }
            ? new Dictionary<string, string[]> { ["password"] = ["People choose their own password when they accept the invitation; leave password out."] }
            : null;
        return new Invitations.InvitationCreate { Email = Email, Role = Role };
    }
}

/// <summary>
/// The body of PATCH /api/v1/users/{id} (JSON merge patch). Names belong to the account, which may be shared with
/// other tenants: a tenant admin changes only the membership.
/// </summary>
public sealed record UserUpdate : RequestBody
{
    public Optional<string?> Role { get; init; }
    public Optional<bool?> IsActive { get; init; }
    /// <summary>The phone click-to-call rings; every member may set their own.</summary>
    public Optional<string?> Phone { get; init; }
}

/// <summary>Members of a tenant: adding people (new or existing accounts), roles and deactivation.</summary>
// Wide on purpose: database, tenant, clock and audit are ambient; the rest are membership's own concerns (accounts,
// notices, sessions ended on removal).
[Scoped]
public sealed class UserService(SwitchboardDbContext db, TenantContext ctx, UserManager<AppUser> users, AccountEmails emails, AuditLog audit, SessionStore sessions,
    TimeProvider clock)
{
    public static bool CanManage(TenantContext ctx) => ctx.Role is TenantRole.Admin or TenantRole.Superadmin;

    /// <summary>Admins and managers see the members (managers need them to assign leads); others do not.</summary>
    public static bool CanView(TenantContext ctx) => ctx.Role is TenantRole.Admin or TenantRole.Superadmin or TenantRole.Manager;

    public async Task<Outcome<IReadOnlyList<UserDto>>> ListAsync(CancellationToken ct)
    {
        if (!CanView(ctx)) return new Outcome<IReadOnlyList<UserDto>>.Forbidden("Your role cannot view the tenant's users.");
        return await Members().ToListAsync(ct);
    }

    public async Task<Outcome<PagedList<UserDto>>> ListAsync(int? page, int? pageSize, CancellationToken ct)
    {
        if (!CanView(ctx)) return new Outcome<PagedList<UserDto>>.Forbidden("Your role cannot view the tenant's users.");
        var errors = new ValidationErrors();
        var paging = PageRequest.Validate(page, pageSize, errors);
        if (!errors.IsValid) return new Outcome<PagedList<UserDto>>.Invalid(errors.ToDictionary());
        return await paging.ApplyAsync(db, Members(), ct);
    }

    public async Task<UserDto?> FindAsync(Guid id, CancellationToken ct) =>
        CanView(ctx) ? await Members(id).SingleOrDefaultAsync(ct) : null;

    public async Task<Outcome<UserDto>> CreateAsync(UserCreate body, CancellationToken ct)
    {
        var errors = body.BindingErrors();
        var email = body.Email.Value;
        var firstName = body.FirstName.Value;
        var lastName = body.LastName.Value;
        var role = body.Role.OneOf("role", TenantRoles.MembershipRoles, errors).Value;
        var password = body.Password.Value;
        var tenantId = body.TenantId.Value;
        errors.Required("email", email, "Email", 254);
        errors.Email("email", email);
        if (role is null && !errors.ToDictionary().ContainsKey("role")) errors.Add("role", $"Role is required: one of {string.Join(", ", TenantRoles.MembershipRoles)}.");
        if (!errors.IsValid) return new Outcome<UserDto>.Invalid(errors.ToDictionary());

        if (tenantId is { } target && target != ctx.TenantId)
        {
            if (!ctx.IsSuperadmin) return new Outcome<UserDto>.Forbidden("Only superadmins can add users to another tenant.");
            var tenant = await db.Tenants.AsNoTracking().SingleOrDefaultAsync(t => t.Id == target, ct);
            if (tenant is null) return new Outcome<UserDto>.Invalid(new Dictionary<string, string[]> { ["tenantId"] = ["No tenant has this id."] });
            await ctx.EnterTenantAsync(TenantMessages.Settings(tenant), TenantRole.Superadmin);
        }
        if (!ctx.IsSuperadmin) return new Outcome<UserDto>.Forbidden("Tenant administrators invite people (POST /api/v1/invitations); only superadmins create accounts.");

        await using var tx = await db.BeginUnitOfWorkAsync(ct);
        var user = await users.FindByEmailAsync(email!);
        if (user is null)
        {
            errors.Required("firstName", firstName, "First name", 100);
            errors.Required("lastName", lastName, "Last name", 100);
            errors.Required("password", password, "Password", 1024);
            if (!errors.IsValid) return new Outcome<UserDto>.Invalid(errors.ToDictionary());
            user = new AppUser
            {
                Id = Guid.CreateVersion7(), UserName = email, Email = email, EmailConfirmed = true,
                FirstName = firstName!, LastName = lastName!, CreatedAt = clock.GetUtcNow(), LockoutEnabled = true,
            };
            var created = await users.CreateAsync(user, password!);
            if (!created.Succeeded) return new Outcome<UserDto>.Invalid(IdentityErrors(created));
        }
        else if (await db.Memberships.AnyAsync(m => m.UserId == user.Id, ct))
        {
            return new Outcome<UserDto>.Conflict($"{email} is already a member of this tenant.");
        }

        db.Memberships.Add(new TenantMembership { UserId = user.Id, Role = role! });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return await Members(user.Id).SingleAsync(ct);
    }

    public async Task<Outcome<UserDto>> UpdateAsync(Guid id, UserUpdate patch, CancellationToken ct)
    {
        // Everyone may set their own phone (click-to-call rings it); everything else is for administrators, whether
        // or not its value could be read.
        var ownPhoneOnly = id == ctx.UserId && !Sent(patch.Role) && !Sent(patch.IsActive);
        if (!CanView(ctx) && !ownPhoneOnly) return new Outcome<UserDto>.NotFound();
        var membership = await db.Memberships.Include(m => m.User).SingleOrDefaultAsync(m => m.UserId == id, ct);
        if (membership is null) return new Outcome<UserDto>.NotFound();
        if (!CanManage(ctx) && !ownPhoneOnly) return new Outcome<UserDto>.Forbidden("Only administrators can change users.");

        var errors = patch.BindingErrors();
        var role = patch.Role.OneOf("role", TenantRoles.MembershipRoles, errors);
        var active = patch.IsActive;
        if (role is { IsSet: true, Value: null }) errors.Add("role", "role cannot be null.");
        if (active is { IsSet: true, Value: null }) errors.Add("isActive", "isActive cannot be null.");
        if (!errors.IsValid) return new Outcome<UserDto>.Invalid(errors.ToDictionary());
        if (id == ctx.UserId && ((role.IsSet && role.Value != membership.Role) || active is { IsSet: true, Value: false }))
            return new Outcome<UserDto>.Conflict("You cannot change your own role or deactivate yourself; ask another administrator.");

        if (patch.Phone is { IsSet: true } phone)
        {
            if (phone.Value is null) membership.Phone = null;
            else
            {
                var parsed = PhoneNumbers.Normalize(phone.Value, ctx.Tenant?.DefaultCountry ?? "US");
                if (!parsed.Success) return new Outcome<UserDto>.Invalid(new Dictionary<string, string[]> { ["phone"] = [parsed.Error!] });
                membership.Phone = parsed.E164;
            }
        }
        if (role is { IsSet: true, Value: { } newRole }) membership.Role = newRole;
        var removed = active is { IsSet: true, Value: false } && membership.IsActive;
        if (active is { IsSet: true, Value: { } isActive }) membership.IsActive = isActive;
        await db.SaveChangesAsync(ct);
        // Its requests would be refused while the membership is off anyway; ended, its sessions stay ended if the
        // membership comes back (ADR 0044). A lower role needs no such step: the role is read on every request.
        if (removed) await sessions.RevokeForUserInTenantAsync(id, membership.TenantId, SessionEndReasons.MembershipRemoved, ct);
        return await Members(id).SingleAsync(ct);
    }

    /// <summary>
    /// Ends the member's lockout now (the failed-attempt count too), audited and told to them by email. The lockout is
    /// the account's, so this unlocks it in every tenant it belongs to: the administrator vouches for a member of theirs.
    /// </summary>
    public async Task<Outcome<UserDto>> UnlockAsync(Guid id, CancellationToken ct)
    {
        if (!CanView(ctx)) return new Outcome<UserDto>.NotFound();
        var membership = await db.Memberships.Include(m => m.User).SingleOrDefaultAsync(m => m.UserId == id, ct);
        if (membership is null) return new Outcome<UserDto>.NotFound();
        if (!CanManage(ctx)) return new Outcome<UserDto>.Forbidden("Only administrators can unlock accounts.");
        var user = membership.User!;
        if (user.LockoutEnd is { } end && end > clock.GetUtcNow())
        {
            user.LockoutEnd = null;
            user.AccessFailedCount = 0;
            var me = await db.Users.AsNoTracking().Where(u => u.Id == ctx.UserId).Select(u => u.FirstName + " " + u.LastName).SingleOrDefaultAsync(ct);
            await emails.AccountUnlockedAsync(user, me?.Trim() is { Length: > 0 } name ? name : "An administrator", ctx.Tenant!.Name, ct);
            audit.Add(AuditActions.UserUnlocked, ctx.TenantId, "user", id.ToString(), new { email = user.Email, lockedUntil = end });
            await db.SaveChangesAsync(ct);
        }
        return await Members(id).SingleAsync(ct);
    }

    private static bool Sent<T>(Optional<T> member) => member.IsSet || member.Error is not null;

    private IQueryable<UserDto> Members(Guid? userId = null)
    {
        var now = clock.GetUtcNow();
        return from m in db.Memberships.AsNoTracking()
               join u in db.Users.AsNoTracking() on m.UserId equals u.Id
               where userId == null || u.Id == userId
               orderby u.LastName, u.FirstName
               select new UserDto(u.Id, u.Email!, u.FirstName, u.LastName, m.Role, m.IsActive && u.IsActive, m.CreatedAt, m.Phone, m.Department,
                   u.LockoutEnd > now ? u.LockoutEnd : null,
                   db.Set<Platform.Identity.TwoFactor.UserSecondFactor>().Any(f => f.UserId == u.Id && f.ConfirmedAt != null));
    }

    private static Dictionary<string, string[]> IdentityErrors(IdentityResult result) =>
        result.Errors
            .GroupBy(e => e.Code.StartsWith("Password", StringComparison.Ordinal) ? "password" : e.Code.Contains("Email") || e.Code.Contains("UserName") ? "email" : "user")
            .ToDictionary(g => g.Key, g => g.Select(e => e.Description).ToArray());
}
