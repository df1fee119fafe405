using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Switchboard.Features.Sso;

/// <summary>What a provider proved about a person: the validated ID token's claims.</summary>
public sealed record OidcIdentity(string Subject, string? Email, bool EmailVerified, string? GivenName, string? FamilyName, string? Name, IReadOnlyList<string> Groups);

/// <summary>Why a step of the code flow failed, in words for the audit row and the refusal page.</summary>
public sealed class OidcException(string reason, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>A short machine word for the audit row (discovery-failed, token-exchange-failed, invalid-id-token, nonce-mismatch).</summary>
    public string Reason { get; } = reason;
}

/// <summary>
/// The relying party's side of the OpenID Connect authorization code flow with PKCE (ADR 0047), for any number of
/// per-tenant providers. Discovery documents and signing keys come from <c>Microsoft.IdentityModel.Protocols.OpenIdConnect</c>'s
/// <see cref="ConfigurationManager{T}"/> (cached per issuer, refreshed on an unknown key), ID tokens are validated by
/// <see cref="JsonWebTokenHandler"/> (signature, issuer, audience, lifetime) and their nonce here. Every connection goes
/// through <see cref="PrivateNetworkGuard"/>: discovery, keys and token exchange alike.
/// </summary>
[Singleton]
public sealed class OidcClient(IHttpClientFactory http, PrivateNetworkGuard guard, IOptions<SecurityOptions> security, AppLinks links)
{
    public const string HttpClientName = "sso";
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(2);
    private readonly ConcurrentDictionary<string, ConfigurationManager<OpenIdConnectConfiguration>> _configurations = new(StringComparer.Ordinal);
    private readonly JsonWebTokenHandler _tokens = new() { MapInboundClaims = false };

    private bool AllowPrivate => security.Value.AllowPrivateNetworkUrls;

    /// <summary>The redirect URI every provider sends the browser back to, and the one to register there.</summary>
    public string RedirectUri => links.To(SsoPaths.Callback);

    public static string MetadataAddress(string issuer) => issuer.TrimEnd('/') + "/.well-known/openid-configuration";

    /// <summary>The provider's discovery document (cached), checked to name the issuer it was configured with.</summary>
    public async Task<OpenIdConnectConfiguration> DiscoverAsync(string issuer, CancellationToken ct)
    {
        if (await guard.ProblemAsync(issuer, ct) is { } problem) throw new OidcException("issuer-refused", problem);
        OpenIdConnectConfiguration configuration;
        try
        {
            configuration = await Manager(issuer).GetConfigurationAsync(ct);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or HttpRequestException or ArgumentException)
        {
            // The manager would keep the failure until its refresh interval; the next sign-in asks the provider afresh.
            Forget(issuer);
            throw new OidcException("discovery-failed", $"The provider's discovery document at {MetadataAddress(issuer)} could not be read: {Innermost(e).Message}", e);
        }
        // OpenID Connect Discovery 1.0 §4.3: the document names exactly the issuer it was fetched for.
        if (!string.Equals(configuration.Issuer?.TrimEnd('/'), issuer.TrimEnd('/'), StringComparison.Ordinal))
            throw new OidcException("discovery-failed", $"The discovery document names the issuer '{configuration.Issuer}', not '{issuer}'.");
        if (string.IsNullOrEmpty(configuration.AuthorizationEndpoint) || string.IsNullOrEmpty(configuration.TokenEndpoint))
            throw new OidcException("discovery-failed", "The discovery document has no authorization or token endpoint.");
        return configuration;
    }

    /// <summary>Forgets a provider's cached document and keys (its configuration changed).</summary>
    public void Forget(string issuer) => _configurations.TryRemove(issuer, out _);

    /// <summary>The URL that sends the browser to the provider: code flow, PKCE S256, state and nonce.</summary>
    public static string AuthorizationUrl(OpenIdConnectConfiguration provider, string clientId, string redirectUri, OidcFlowState flow, string? loginHint)
    {
        var query = new Dictionary<string, string?>
        {
            ["response_type"] = "code", ["client_id"] = clientId, ["redirect_uri"] = redirectUri, ["scope"] = "openid email profile",
            ["state"] = flow.State, ["nonce"] = flow.Nonce, ["code_challenge"] = CodeChallenge(flow.CodeVerifier), ["code_challenge_method"] = "S256",
            ["login_hint"] = loginHint,
        };
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(provider.AuthorizationEndpoint, query);
    }

    /// <summary>Redeems the code at the token endpoint and returns the validated identity of its ID token.</summary>
    public async Task<OidcIdentity> RedeemAsync(string issuer, string clientId, string? clientSecret, string redirectUri, string code, OidcFlowState flow, string? groupClaim, CancellationToken ct)
    {
        var provider = await DiscoverAsync(issuer, ct);
        var idToken = await ExchangeAsync(provider, clientId, clientSecret, redirectUri, code, flow.CodeVerifier, ct);
        var result = await ValidateAsync(idToken, provider, issuer, clientId);
        if (!result.IsValid && result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            // The provider may have rolled its keys since they were cached: fetch them again, once.
            Manager(issuer).RequestRefresh();
            result = await ValidateAsync(idToken, await DiscoverAsync(issuer, ct), issuer, clientId);
        }
        if (!result.IsValid) throw new OidcException("invalid-id-token", $"The provider's ID token was refused: {result.Exception?.Message}", result.Exception);
        var token = (JsonWebToken)result.SecurityToken;
        if (!token.TryGetPayloadValue<string>("nonce", out var nonce) || !FixedTimeEquals(nonce, flow.Nonce))
            throw new OidcException("nonce-mismatch", "The ID token was not issued for this sign-in (its nonce does not match).");
        return Identity(token, groupClaim);
    }

    private Task<TokenValidationResult> ValidateAsync(string idToken, OpenIdConnectConfiguration provider, string issuer, string clientId) =>
        _tokens.ValidateTokenAsync(idToken, new TokenValidationParameters
        {
            ValidIssuers = [issuer, issuer.TrimEnd('/')],
            ValidAudience = clientId,
            IssuerSigningKeys = provider.SigningKeys,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = ClockSkew,
            // OpenID Connect's ID tokens are signed with asymmetric keys from the JWKS; "none" and HMAC are never accepted.
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
                SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512],
        });

    private async Task<string> ExchangeAsync(OpenIdConnectConfiguration provider, string clientId, string? clientSecret, string redirectUri, string code, string verifier, CancellationToken ct)
    {
        if (await guard.ProblemAsync(provider.TokenEndpoint, ct) is { } problem) throw new OidcException("token-exchange-failed", problem);
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = redirectUri, ["code_verifier"] = verifier,
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, provider.TokenEndpoint);
        var methods = provider.TokenEndpointAuthMethodsSupported;
        if (clientSecret is null) form["client_id"] = clientId;
        else if (methods.Count == 0 || methods.Contains("client_secret_basic"))
            // RFC 6749 §2.3.1: both parts form-encoded before they are joined.
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(
                Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(clientSecret)}")));
        else
        {
            form["client_id"] = clientId;
            form["client_secret"] = clientSecret;
        }
        request.Content = new FormUrlEncodedContent(form);
        try
        {
            using var response = await http.CreateClient(HttpClientName).SendAsync(request, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            using var json = JsonDocument.Parse(body.Length == 0 ? "{}" : body);
            if (!response.IsSuccessStatusCode)
            {
                var error = json.RootElement.TryGetProperty("error", out var e) ? e.GetString() : null;
                throw new OidcException("token-exchange-failed", $"The provider refused the code ({(int)response.StatusCode}{(error is null ? "" : ": " + error)}).");
            }
            return json.RootElement.TryGetProperty("id_token", out var idToken) && idToken.GetString() is { Length: > 0 } value
                ? value
                : throw new OidcException("token-exchange-failed", "The provider's token response has no ID token.");
        }
        catch (Exception e) when (e is HttpRequestException or IOException or JsonException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            throw new OidcException("token-exchange-failed", $"The provider's token endpoint could not be reached: {Innermost(e).Message}", e);
        }
    }

    private static OidcIdentity Identity(JsonWebToken token, string? groupClaim)
    {
        string? Text(string name) => token.TryGetPayloadValue<string>(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
        var verified = token.TryGetPayloadValue<bool>("email_verified", out var flag) ? flag
            : token.TryGetPayloadValue<string>("email_verified", out var text) && string.Equals(text, "true", StringComparison.OrdinalIgnoreCase);
        return new OidcIdentity(token.Subject, Text("email"), verified, Text("given_name"), Text("family_name"), Text("name"),
            groupClaim is null ? [] : ClaimValues(token, groupClaim));
    }

    /// <summary>The values of a claim that may be one string or an array of strings (groups, roles).</summary>
    private static IReadOnlyList<string> ClaimValues(JsonWebToken token, string claim)
    {
        if (token.TryGetPayloadValue<string[]>(claim, out var many) && many is not null) return many;
        return token.TryGetPayloadValue<string>(claim, out var one) && one is not null ? [one] : [];
    }

    private ConfigurationManager<OpenIdConnectConfiguration> Manager(string issuer) =>
        _configurations.GetOrAdd(issuer, key => new ConfigurationManager<OpenIdConnectConfiguration>(
            MetadataAddress(key), new OpenIdConnectConfigurationRetriever(),
            new HttpDocumentRetriever(http.CreateClient(HttpClientName)) { RequireHttps = !AllowPrivate })
        {
            AutomaticRefreshInterval = TimeSpan.FromHours(12),
            RefreshInterval = TimeSpan.FromMinutes(1),
        });

    /// <summary>RFC 7636 §4.2: BASE64URL(SHA256(ASCII(code_verifier))).</summary>
    public static string CodeChallenge(string verifier) => Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    private static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));

    private static Exception Innermost(Exception e) => e.InnerException is { } inner ? Innermost(inner) : e;
}
