using Microsoft.AspNetCore.Identity;

namespace Switchboard.Platform.Identity;

/// <summary>A person who can sign in. Global: membership and role live per tenant in <see cref="TenantMembership"/>.</summary>
public sealed class AppUser : IdentityUser<Guid>
{
    public required string FirstName { get; set; }
    public required string LastName { get; set; }
    public bool IsSuperadmin { get; set; }
    public bool IsActive { get; set; } = true;
    public Guid? LastTenantId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the password was last set; a tenant's maximum password age counts from here.</summary>
    public DateTimeOffset PasswordChangedAt { get; set; }

    public string DisplayName => $"{FirstName} {LastName}".Trim();
}
