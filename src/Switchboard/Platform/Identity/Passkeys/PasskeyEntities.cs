namespace Switchboard.Platform.Identity.Passkeys;

/// <summary>The WebAuthn user handle of a person (table webauthn_user_handles): 32 random bytes, never the email or the id.</summary>
public sealed class WebAuthnUserHandle
{
    public Guid UserId { get; set; }
    public required byte[] Handle { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>What a ceremony is for (webauthn_ceremonies.purpose).</summary>
public static class PasskeyPurposes
{
    public const string Register = "register";
    public const string SecondFactor = "second-factor";
    public const string Passwordless = "passwordless";
}

/// <summary>The options of a ceremony between begin and finish: found by the SHA-256 of their challenge, used once.</summary>
public sealed class WebAuthnCeremony
{
    public Guid Id { get; set; }
    public required byte[] ChallengeHash { get; set; }
    public required string Purpose { get; set; }
    public Guid? UserId { get; set; }
    public required string Options { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
}

internal sealed class PasskeyConfiguration : IEntityTypeConfiguration<WebAuthnUserHandle>, IEntityTypeConfiguration<WebAuthnCeremony>
{
    public void Configure(Microsoft.EntityFrameworkCore.Metadata.Builders.EntityTypeBuilder<WebAuthnUserHandle> e)
    {
        e.ToTable("webauthn_user_handles");
        e.HasKey(h => h.UserId);
    }

    public void Configure(Microsoft.EntityFrameworkCore.Metadata.Builders.EntityTypeBuilder<WebAuthnCeremony> e) => e.ToTable("webauthn_ceremonies");
}
