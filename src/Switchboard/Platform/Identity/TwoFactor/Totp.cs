using Microsoft.AspNetCore.DataProtection;
using OtpNet;
using QRCoder;

namespace Switchboard.Platform.Identity.TwoFactor;

/// <summary>
/// TOTP after RFC 6238 with Otp.NET: 160-bit secrets, 30-second steps, 6 digits, one step of clock drift either way.
/// The secret is kept encrypted with Data Protection (the key ring every instance shares) and shown only while enrolling.
/// </summary>
[Singleton]
public sealed class TotpSecrets(IDataProtectionProvider protection)
{
    public const string Issuer = "Switchboard";
    private static readonly VerificationWindow Drift = new(previous: 1, future: 1);
    private readonly IDataProtector _protector = protection.CreateProtector("Switchboard.TwoFactor.TotpSecret.v1");

    /// <summary>A new secret in Base32 (what authenticator apps take when typed in) and its protected form to store.</summary>
    public (string Base32, string Protected) New()
    {
        var base32 = Base32Encoding.ToString(KeyGeneration.GenerateRandomKey(20));
        return (base32, _protector.Protect(base32));
    }

    public string Reveal(string protectedSecret) => _protector.Unprotect(protectedSecret);

    /// <summary>The time step <paramref name="code"/> belongs to at <paramref name="now"/> (±1 step), or null when it is not a valid code.</summary>
    public long? MatchStep(string protectedSecret, string code, DateTimeOffset now)
    {
        if (code.Length != 6 || !code.All(char.IsAsciiDigit)) return null;
        var totp = new Totp(Base32Encoding.ToBytes(Reveal(protectedSecret)));
        return totp.VerifyTotp(now.UtcDateTime, code, out var step, Drift) ? step : null;
    }

    /// <summary>The otpauth:// URI an authenticator app reads from the QR code: issuer Switchboard, the account's email as its name.</summary>
    public static string Uri(string base32, string email) => new OtpUri(OtpType.Totp, base32, email, Issuer).ToString();

    /// <summary>The QR code of <paramref name="otpauthUri"/> as a PNG data URI (the page's CSP allows data: images).</summary>
    public static string QrDataUri(string otpauthUri)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(otpauthUri, QRCodeGenerator.ECCLevel.M);
        return "data:image/png;base64," + Convert.ToBase64String(new PngByteQRCode(data).GetGraphic(6));
    }
}

/// <summary>
/// Recovery codes: ten per person, each 16 Base32 characters (80 random bits) shown as four groups of four. At 80 bits a
/// SHA-256 of the code is as safe at rest as a slow hash (nobody can try 2^80 guesses), and checking ten costs nothing.
/// </summary>
public static class RecoveryCodes
{
    public const int Count = 10;
    private const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    public static string New()
    {
        var chars = System.Security.Cryptography.RandomNumberGenerator.GetItems<char>(Alphabet, 16);
        return string.Join('-', Enumerable.Range(0, 4).Select(i => new string(chars, i * 4, 4)));
    }

    /// <summary>The hash of a code as the person typed it: case, spaces and dashes do not matter.</summary>
    public static byte[] Hash(string code) =>
        System.Security.Cryptography.SHA256.HashData(Encoding.ASCII.GetBytes(Normalise(code)));

    /// <summary>True when <paramref name="code"/> has the shape of a recovery code rather than of a 6-digit TOTP code.</summary>
    public static bool Looks(string code) => Normalise(code).Length == 16;

    private static string Normalise(string code) =>
        new(code.Where(c => !char.IsWhiteSpace(c) && c != '-').Select(char.ToUpperInvariant).Where(c => c < 128).ToArray());
}
