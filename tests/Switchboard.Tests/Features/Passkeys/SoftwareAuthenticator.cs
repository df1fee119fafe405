using System.Buffers.Binary;
using System.Buffers.Text;
using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Switchboard.Tests.Features.Passkeys;

/// <summary>
/// A WebAuthn authenticator in software, answering as a browser would: an EC P-256 key, authenticator data, a "none"
/// attestation in CBOR, clientDataJSON, and ES256 signatures over authenticatorData ‖ SHA-256(clientDataJSON). It holds
/// one discoverable passkey; tests change what it reports (origin, counter, user verification) to see what is refused.
/// </summary>
public sealed class SoftwareAuthenticator(string origin, string rpId = "localhost") : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public byte[] CredentialId { get; } = RandomNumberGenerator.GetBytes(16);
    public byte[]? UserHandle { get; private set; }

    /// <summary>The signature counter of the next assertion is one more than this.</summary>
    public uint Counter { get; set; }
    public string Origin { get; set; } = origin;
    public bool UserVerified { get; set; } = true;

    /// <summary>The answer of navigator.credentials.create to <paramref name="options"/> (the server's JSON).</summary>
    public object Register(JsonElement options)
    {
        UserHandle = Base64Url.DecodeFromChars(options.GetProperty("user").GetProperty("id").GetString());
        var clientData = ClientData("webauthn.create", options.GetProperty("challenge").GetString()!);
        var authData = AuthenticatorData(attested: true);
        var attestation = new CborWriter(CborConformanceMode.Ctap2Canonical);
        attestation.WriteStartMap(3);
        attestation.WriteTextString("fmt");
        attestation.WriteTextString("none");
        attestation.WriteTextString("attStmt");
        attestation.WriteStartMap(0);
        attestation.WriteEndMap();
        attestation.WriteTextString("authData");
        attestation.WriteByteString(authData);
        attestation.WriteEndMap();
        return new
        {
            id = Base64Url.EncodeToString(CredentialId), rawId = Base64Url.EncodeToString(CredentialId), type = "public-key",
            response = new { attestationObject = Base64Url.EncodeToString(attestation.Encode()), clientDataJSON = Base64Url.EncodeToString(clientData), transports = new[] { "internal" } },
            clientExtensionResults = new { },
        };
    }

    /// <summary>The answer of navigator.credentials.get to <paramref name="options"/>; <paramref name="challenge"/> replaces theirs.</summary>
    public object Assert(JsonElement options, string? challenge = null)
    {
        Counter++;
        var clientData = ClientData("webauthn.get", challenge ?? options.GetProperty("challenge").GetString()!);
        var authData = AuthenticatorData(attested: false);
        var signature = _key.SignData([.. authData, .. SHA256.HashData(clientData)], HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        return new
        {
            id = Base64Url.EncodeToString(CredentialId), rawId = Base64Url.EncodeToString(CredentialId), type = "public-key",
            response = new
            {
                authenticatorData = Base64Url.EncodeToString(authData), clientDataJSON = Base64Url.EncodeToString(clientData),
                signature = Base64Url.EncodeToString(signature), userHandle = UserHandle is null ? null : Base64Url.EncodeToString(UserHandle),
            },
            clientExtensionResults = new { },
        };
    }

    private byte[] ClientData(string type, string challenge) =>
        Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { type, challenge, origin = Origin, crossOrigin = false }));

    /// <summary>rpIdHash ‖ flags (user present, verified, attested data) ‖ counter ‖ [aaguid ‖ credential id ‖ COSE key].</summary>
    private byte[] AuthenticatorData(bool attested)
    {
        var data = new List<byte>(SHA256.HashData(Encoding.UTF8.GetBytes(rpId)));
        data.Add((byte)(0x01 | (UserVerified ? 0x04 : 0) | (attested ? 0x40 : 0)));
        var counter = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(counter, attested ? 0 : Counter);
        data.AddRange(counter);
        if (!attested) return [.. data];
        data.AddRange(new byte[16]);
        var length = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(length, (ushort)CredentialId.Length);
        data.AddRange(length);
        data.AddRange(CredentialId);
        data.AddRange(CoseKey());
        return [.. data];
    }

    /// <summary>The public key as COSE: kty EC2, alg ES256, crv P-256, x, y.</summary>
    private byte[] CoseKey()
    {
        var point = _key.ExportParameters(false).Q;
        var cose = new CborWriter(CborConformanceMode.Ctap2Canonical);
        cose.WriteStartMap(5);
        cose.WriteInt32(1);
        cose.WriteInt32(2);
        cose.WriteInt32(3);
        cose.WriteInt32(-7);
        cose.WriteInt32(-1);
        cose.WriteInt32(1);
        cose.WriteInt32(-2);
        cose.WriteByteString(point.X!);
        cose.WriteInt32(-3);
        cose.WriteByteString(point.Y!);
        cose.WriteEndMap();
        return cose.Encode();
    }

    public void Dispose() => _key.Dispose();
}
