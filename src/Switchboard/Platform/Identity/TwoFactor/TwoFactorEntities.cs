namespace Switchboard.Platform.Identity.TwoFactor;

/// <summary>The kinds of second factor (migration 0029); the sign-in offers every confirmed one.</summary>
public static class SecondFactorMethods
{
    public const string Totp = "totp";

    /// <summary>A passkey (migration 0034, ADR 0050): one row per credential, confirmed when it is created.</summary>
    public const string WebAuthn = "webauthn";

    /// <summary>What the sign-in's <c>methods</c> lists besides the factors themselves: a recovery code is always accepted.</summary>
    public const string RecoveryCode = "recovery-code";
}

/// <summary>One second factor of a person (table user_second_factors); unconfirmed while enrolment is in progress.</summary>
public sealed class UserSecondFactor
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public required string Method { get; set; }

    /// <summary>For TOTP: the Base32 shared secret, encrypted with Data Protection (<see cref="TotpSecrets"/>).</summary>
    public string? SecretProtected { get; set; }

    /// <summary>For TOTP: the time step of the last accepted code; a code of this step or an earlier one is refused.</summary>
    public long? LastUsedStep { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ConfirmedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }

    // A passkey's credential (ADR 0050): null for TOTP.
    public byte[]? CredentialId { get; set; }
    public byte[]? PublicKey { get; set; }

    /// <summary>The signature counter the authenticator last reported; an assertion whose counter is not above it is refused (0 stays 0 for authenticators without one).</summary>
    public long? SignCount { get; set; }

    /// <summary>The passkey's name its owner chose ("MacBook Touch ID").</summary>
    public string? Name { get; set; }
    public Guid? Aaguid { get; set; }
    public string[]? Transports { get; set; }
}

public sealed class UserRecoveryCode
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public required byte[] CodeHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
}

/// <summary>The mfaToken of a sign-in waiting for its second factor.</summary>
public sealed class MfaChallenge
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public Guid? TenantId { get; set; }
    public required byte[] TokenHash { get; set; }
    public required string Kind { get; set; }
    /// <summary>The first step's <see cref="SignInMethods"/> method, which the session the second step opens keeps.</summary>
    public required string SignInMethod { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
}

/// <summary>A browser whose owner asked not to be asked for the second factor again for 30 days.</summary>
public sealed class MfaRememberedDevice
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public required byte[] TokenHash { get; set; }
    public string? UserAgent { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}

internal sealed class TwoFactorConfiguration :
    IEntityTypeConfiguration<UserSecondFactor>, IEntityTypeConfiguration<UserRecoveryCode>,
    IEntityTypeConfiguration<MfaChallenge>, IEntityTypeConfiguration<MfaRememberedDevice>
{
    public void Configure(Microsoft.EntityFrameworkCore.Metadata.Builders.EntityTypeBuilder<UserSecondFactor> e)
    {
        e.ToTable("user_second_factors");
        // Accepting a code moves last_used_step "where it was still the old value": of two requests with one code, one wins.
        e.Property(f => f.LastUsedStep).IsConcurrencyToken();
        // Likewise for a passkey's counter: of two assertions racing from one counter value, one wins.
        e.Property(f => f.SignCount).IsConcurrencyToken();
    }

    public void Configure(Microsoft.EntityFrameworkCore.Metadata.Builders.EntityTypeBuilder<UserRecoveryCode> e)
    {
        e.ToTable("user_recovery_codes");
        e.Property(c => c.UsedAt).IsConcurrencyToken();
    }

    public void Configure(Microsoft.EntityFrameworkCore.Metadata.Builders.EntityTypeBuilder<MfaChallenge> e)
    {
        e.ToTable("mfa_challenges");
        e.Property(c => c.UsedAt).IsConcurrencyToken();
    }

    public void Configure(Microsoft.EntityFrameworkCore.Metadata.Builders.EntityTypeBuilder<MfaRememberedDevice> e) =>
        e.ToTable("mfa_remembered_devices");
}
