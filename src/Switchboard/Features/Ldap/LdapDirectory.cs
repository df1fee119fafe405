using System.DirectoryServices.Protocols;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Switchboard.Features.Ldap;

/// <summary>What the server needs to reach one tenant's directory, with the service password decrypted.</summary>
public sealed record LdapTarget(
    string Host, int Port, string Security, string? CaCertificate, string? UserDnTemplate, string? SearchBase, string? SearchFilter,
    string? BindDn, string? BindPassword, string GroupSource, string? GroupSearchBase);

/// <summary>What the directory said of a person's credentials.</summary>
public abstract record DirectoryVerdict
{
    public sealed record Authenticated(string Dn, string? GivenName, string? Surname, IReadOnlyList<string> Groups) : DirectoryVerdict;
    public sealed record WrongPassword : DirectoryVerdict;
    /// <summary>No entry (or more than one) answers to the address: unknown, removed, or ambiguous.</summary>
    public sealed record NotFound : DirectoryVerdict;
    /// <summary>The entry exists but is disabled (Active Directory's userAccountControl ACCOUNTDISABLE).</summary>
    public sealed record Disabled : DirectoryVerdict;
    /// <summary>The directory could not be asked: unreachable, TLS refused (untrusted certificate), refused address, bad service account.</summary>
    public sealed record Unavailable(string Problem) : DirectoryVerdict;
}

/// <summary>
/// Talks to a tenant's directory with System.DirectoryServices.Protocols (libldap on Linux; ADR 0048): always over TLS
/// (LDAPS, or StartTLS before any credential is sent), trusting the tenant's CA when it gave one, binding with the
/// person's own credentials. Every value typed by a person is escaped before it is put in a filter or DN.
/// </summary>
[Singleton]
public sealed class LdapDirectory(IOptions<LdapOptions> options, ILogger<LdapDirectory> log)
{
    private const int InvalidCredentials = 49;
    private const int AccountDisable = 0x2;
    private static readonly string[] EntryAttributes = ["givenName", "sn", "memberOf", "userAccountControl"];

    private TimeSpan Timeout => TimeSpan.FromSeconds(options.Value.TimeoutSeconds);

    /// <summary>Checks <paramref name="password"/> for the entry that answers to <paramref name="email"/>.</summary>
    public Task<DirectoryVerdict> AuthenticateAsync(LdapTarget target, string email, string password, CancellationToken ct) =>
        Task.Run(() => Authenticate(target, email, password), ct);

    /// <summary>"Test connection": reach the server over TLS, bind as the service account (or anonymously) and read the search base.</summary>
    public Task<string?> TestAsync(LdapTarget target, CancellationToken ct) => Task.Run(() => Test(target), ct);

    /// <summary>Why the server must not connect to <paramref name="host"/>, or null. Checked when saved and at every connection.</summary>
    public async Task<string?> HostProblemAsync(string host, CancellationToken ct)
    {
        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
        }
        catch (SocketException)
        {
            return $"The host '{host}' could not be found.";
        }
        if (addresses.Length == 0) return $"The host '{host}' could not be found.";
        foreach (var address in addresses)
            switch (PrivateNetworkGuard.Classify(address))
            {
                case PrivateNetworkGuard.Reach.Forbidden:
                    return $"'{host}' resolves to {address}, an address the server never connects to (link-local, metadata or reserved).";
                case PrivateNetworkGuard.Reach.Private when !options.Value.AllowPrivateHosts:
                    return $"'{host}' is on a private or loopback network ({address}); this installation does not connect there.";
            }
        return null;
    }

    private DirectoryVerdict Authenticate(LdapTarget target, string email, string password)
    {
        // An empty password makes a simple bind "unauthenticated" (RFC 4513 §5.1.2), which many servers accept.
        if (string.IsNullOrEmpty(password)) return new DirectoryVerdict.WrongPassword();
        try
        {
            using var connection = Open(target);
            return target.UserDnTemplate is { } template
                ? ByTemplate(connection, target, LdapEscape.Fill(template, email, LdapEscape.DnValue), password)
                : BySearch(connection, target, email, password);
        }
        catch (LdapException e) when (e.ErrorCode == InvalidCredentials)
        {
            return new DirectoryVerdict.WrongPassword();
        }
        catch (Exception e) when (e is LdapException or DirectoryOperationException or RefusedAddressException or IOException)
        {
            log.LogWarning("LDAP sign-in against {Host}:{Port} failed: {Problem}", target.Host, target.Port, e.Message);
            return new DirectoryVerdict.Unavailable(Describe(e, target));
        }
    }

    private DirectoryVerdict ByTemplate(LdapConnection connection, LdapTarget target, string dn, string password)
    {
        connection.Bind(new NetworkCredential(dn, password));
        var entry = Search(connection, dn, "(objectClass=*)", SearchScope.Base, EntryAttributes).SingleOrDefault();
        if (entry is null) return new DirectoryVerdict.NotFound();
        if (IsDisabled(entry)) return new DirectoryVerdict.Disabled();
        return Authenticated(connection, target, entry);
    }

    private DirectoryVerdict BySearch(LdapConnection connection, LdapTarget target, string email, string password)
    {
        BindService(connection, target);
        var filter = LdapEscape.Fill(target.SearchFilter!, email, LdapEscape.FilterValue);
        var found = Search(connection, target.SearchBase!, filter, SearchScope.Subtree, EntryAttributes, sizeLimit: 2);
        if (found.Count != 1) return new DirectoryVerdict.NotFound();
        var entry = found[0];
        if (IsDisabled(entry)) return new DirectoryVerdict.Disabled();
        // Groups are read as the service account, before the connection becomes the person's.
        var verdict = Authenticated(connection, target, entry);
        connection.Bind(new NetworkCredential(entry.DistinguishedName, password));
        return verdict;
    }

    private static DirectoryVerdict.Authenticated Authenticated(LdapConnection connection, LdapTarget target, SearchResultEntry entry)
    {
        var groups = target.GroupSource switch
        {
            LdapGroupSource.MemberOf => Values(entry, "memberOf"),
            LdapGroupSource.GroupSearch => Search(connection, target.GroupSearchBase!,
                    $"(|(member={LdapEscape.FilterValue(entry.DistinguishedName)})(uniqueMember={LdapEscape.FilterValue(entry.DistinguishedName)}))",
                    SearchScope.Subtree, ["cn"])
                .Select(g => g.DistinguishedName).ToList(),
            _ => [],
        };
        return new DirectoryVerdict.Authenticated(entry.DistinguishedName, Values(entry, "givenName").FirstOrDefault(), Values(entry, "sn").FirstOrDefault(), groups);
    }

    private string? Test(LdapTarget target)
    {
        try
        {
            using var connection = Open(target);
            BindService(connection, target);
            var baseDn = target.SearchBase ?? target.GroupSearchBase;
            if (baseDn is not null && Search(connection, baseDn, "(objectClass=*)", SearchScope.Base, ["objectClass"]).Count == 0)
                return $"The directory has no entry '{baseDn}'.";
            return null;
        }
        catch (Exception e) when (e is LdapException or DirectoryOperationException or RefusedAddressException or IOException)
        {
            return Describe(e, target);
        }
    }

    private static void BindService(LdapConnection connection, LdapTarget target)
    {
        if (target.BindDn is { } bindDn) connection.Bind(new NetworkCredential(bindDn, target.BindPassword ?? ""));
        // No service account: the search is anonymous (the StartTLS path already bound anonymously).
        else if (target.Security == LdapSecurity.Ldaps) AnonymousBind(connection);
    }

    /// <summary>A connection over TLS, the server's certificate checked against the tenant's CA (or the machine's roots) and its name.</summary>
    private LdapConnection Open(LdapTarget target)
    {
        if (HostProblemAsync(target.Host, CancellationToken.None).GetAwaiter().GetResult() is { } problem) throw new RefusedAddressException(problem);
        var connection = new LdapConnection(new LdapDirectoryIdentifier(target.Host, target.Port, fullyQualifiedDnsHostName: true, connectionless: false))
        {
            AuthType = AuthType.Basic, Timeout = Timeout,
        };
        try
        {
            connection.SessionOptions.ProtocolVersion = 3;
            connection.SessionOptions.ReferralChasing = ReferralChasingOptions.None;
            if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
            {
                if (target.CaCertificate is { } pem) connection.SessionOptions.TrustedCertificatesDirectory = CaDirectory(pem);
                connection.SessionOptions.StartNewTlsSessionContext();
            }
            if (target.Security == LdapSecurity.Ldaps) connection.SessionOptions.SecureSocketLayer = true;
            else
            {
                // libldap connects on the first operation: an anonymous bind (no credential) opens the connection,
                // then StartTLS protects it before anything secret is sent.
                AnonymousBind(connection);
                connection.SessionOptions.StartTransportLayerSecurity(null);
            }
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static void AnonymousBind(LdapConnection connection)
    {
        connection.AuthType = AuthType.Anonymous;
        connection.Bind();
        connection.AuthType = AuthType.Basic;
    }

    /// <summary>
    /// libldap trusts a directory of CA files: one per distinct PEM, named by its hash, written once (a rename, so two
    /// sign-ins writing the same CA at once never see half a file).
    /// </summary>
    private static string CaDirectory(string pem)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(pem)));
        var directory = Path.Combine(Path.GetTempPath(), "switchboard-ldap-ca", hash);
        var file = Path.Combine(directory, "ca.pem");
        if (File.Exists(file)) return directory;
        Directory.CreateDirectory(directory);
        var partial = Path.Combine(directory, $".{Guid.NewGuid():N}.tmp");
        File.WriteAllText(partial, pem);
        File.Move(partial, file, overwrite: true);
        return directory;
    }

    private static List<SearchResultEntry> Search(LdapConnection connection, string baseDn, string filter, SearchScope scope, string[] attributes, int sizeLimit = 1000)
    {
        var request = new SearchRequest(baseDn, filter, scope, attributes) { SizeLimit = sizeLimit };
        try
        {
            var response = (SearchResponse)connection.SendRequest(request);
            return response.Entries.Cast<SearchResultEntry>().ToList();
        }
        catch (DirectoryOperationException e) when (e.Response?.ResultCode == ResultCode.NoSuchObject)
        {
            return [];
        }
        catch (DirectoryOperationException e) when (e.Response?.ResultCode == ResultCode.SizeLimitExceeded)
        {
            // More than the limit answered: as many as asked for, which callers read as "not exactly one".
            return Enumerable.Repeat<SearchResultEntry>(null!, sizeLimit).ToList();
        }
    }

    private static List<string> Values(SearchResultEntry entry, string attribute) =>
        entry.Attributes[attribute] is { } values ? values.GetValues(typeof(string)).Cast<string>().ToList() : [];

    private static bool IsDisabled(SearchResultEntry entry) =>
        Values(entry, "userAccountControl").FirstOrDefault() is { } text && int.TryParse(text, out var flags) && (flags & AccountDisable) != 0;

    private static string Describe(Exception e, LdapTarget target) => e switch
    {
        RefusedAddressException refused => refused.Message,
        LdapException { ErrorCode: InvalidCredentials } => "The directory refused the service account's DN or password.",
        LdapException { ErrorCode: 81 or 91 } => $"Could not open a TLS connection to {target.Host}:{target.Port}: the server is unreachable, does not speak {(target.Security == LdapSecurity.Ldaps ? "LDAPS" : "StartTLS")} there, or its certificate is not trusted (give its CA) or not issued for that name.",
        LdapException { ErrorCode: 85 } => $"{target.Host}:{target.Port} did not answer in time.",
        _ => $"The directory answered: {e.Message}",
    };
}
