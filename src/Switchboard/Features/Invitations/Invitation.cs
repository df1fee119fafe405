namespace Switchboard.Features.Invitations;

/// <summary>
/// An invitation to join a tenant with a role, sent by email. Pending until accepted, revoked or past
/// <see cref="ExpiresAt"/>; a resend replaces the token (the older link stops working) and starts 7 days again.
/// </summary>
public sealed class Invitation : TenantRow
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    public required string Email { get; set; }
    public required string EmailKey { get; set; }
    public required string Role { get; set; }
    public string? Department { get; set; }
    public string? Phone { get; set; }
    public string? GreetingName { get; set; }
    public required byte[] TokenHash { get; set; }
    public Guid? InvitedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset SentAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? AcceptedAt { get; set; }
    public Guid? AcceptedBy { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }

    public string Status(DateTimeOffset now) =>
        AcceptedAt is not null ? InvitationStatus.Accepted
        : RevokedAt is not null ? InvitationStatus.Revoked
        : ExpiresAt <= now ? InvitationStatus.Expired
        : InvitationStatus.Pending;

    public static string KeyOf(string email) => email.Trim().ToLowerInvariant();
}

public static class InvitationStatus
{
    public const string Pending = "pending";
    public const string Expired = "expired";
    public const string Accepted = "accepted";
    public const string Revoked = "revoked";
}

internal sealed class InvitationConfiguration() : TenantTableConfiguration<Invitation>("invitations");

public static class InvitationsData
{
    extension(SwitchboardDbContext db)
    {
        public DbSet<Invitation> Invitations => db.Set<Invitation>();
    }
}
