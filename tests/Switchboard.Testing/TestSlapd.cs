using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Switchboard.Testing;

/// <summary>
/// Debian's real slapd, started by a test on two free loopback ports (plain LDAP with StartTLS, and LDAPS) with its own
/// configuration file, database directory and TLS certificate, issued by a CA made here with .NET's CertificateRequest
/// for the names libldap checks (localhost, this machine's name, 127.0.0.1). The memberof overlay fills memberOf; groups
/// are groupOfNames, so a group search finds them too. slapd runs as whoever runs the tests (it needs no user of its
/// own, unlike PostgreSQL) and is stopped when disposed. The switchboard script installs slapd and ldap-utils.
/// </summary>
public sealed class TestSlapd : IAsyncDisposable
{
    public const string BaseDn = "dc=example,dc=test";
    public const string People = "ou=people," + BaseDn;
    public const string Groups = "ou=groups," + BaseDn;
    public const string ServiceDn = "cn=service," + BaseDn;
    public const string ServicePassword = "Service-lantern-93";
    private const string RootDn = "cn=admin," + BaseDn;
    private const string RootPassword = "Root-harbor-61";

    private readonly string _directory;
    private readonly Process _process;

    public int LdapPort { get; }
    public int LdapsPort { get; }
    /// <summary>PEM of the CA that issued the server's certificate.</summary>
    public string CaPem { get; }
    /// <summary>PEM of another CA, which did not.</summary>
    public string OtherCaPem { get; }

    private TestSlapd(string directory, Process process, int ldapPort, int ldapsPort, string caPem, string otherCaPem)
    {
        _directory = directory;
        _process = process;
        LdapPort = ldapPort;
        LdapsPort = ldapsPort;
        CaPem = caPem;
        OtherCaPem = otherCaPem;
    }

    public static async Task<TestSlapd> StartAsync()
    {
        var slapd = "/usr/sbin/slapd";
        if (!File.Exists(slapd)) throw new InvalidOperationException("slapd is not installed: ./switchboard test installs it (apt-get install slapd ldap-utils).");
        var directory = Directory.CreateTempSubdirectory("switchboard-slapd-").FullName;
        var (caPem, serverPem, keyPem) = Certificates();
        var (otherCaPem, _, _) = Certificates();
        await File.WriteAllTextAsync(Path.Combine(directory, "ca.pem"), caPem);
        await File.WriteAllTextAsync(Path.Combine(directory, "server.pem"), serverPem);
        await File.WriteAllTextAsync(Path.Combine(directory, "server.key"), keyPem);
        Directory.CreateDirectory(Path.Combine(directory, "db"));
        await File.WriteAllTextAsync(Path.Combine(directory, "slapd.conf"), $"""
            include /etc/ldap/schema/core.schema
            include /etc/ldap/schema/cosine.schema
            include /etc/ldap/schema/inetorgperson.schema
            include /etc/ldap/schema/nis.schema
            modulepath /usr/lib/ldap
            moduleload back_mdb
            moduleload memberof
            pidfile {directory}/slapd.pid
            TLSCertificateFile {directory}/server.pem
            TLSCertificateKeyFile {directory}/server.key
            TLSCACertificateFile {directory}/ca.pem
            database mdb
            maxsize 104857600
            suffix "{BaseDn}"
            rootdn "{RootDn}"
            rootpw {RootPassword}
            directory {directory}/db
            overlay memberof
            """);
        var ldapPort = Loopback.FreePort();
        var ldapsPort = Loopback.FreePort();
        var process = Process.Start(new ProcessStartInfo(slapd)
        {
            // -d keeps slapd in the foreground (a child of the test run, stopped by Kill); level 0 logs nothing.
            ArgumentList = { "-d", "0", "-f", Path.Combine(directory, "slapd.conf"), "-h", $"ldap://127.0.0.1:{ldapPort}/ ldaps://127.0.0.1:{ldapsPort}/" },
            RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false,
        })!;
        var server = new TestSlapd(directory, process, ldapPort, ldapsPort, caPem, otherCaPem);
        await Eventually.Until(() => Task.FromResult(process.HasExited || Loopback.Listening(ldapPort)), up => up, TimeSpan.FromSeconds(30), "slapd to listen");
        if (process.HasExited) throw new InvalidOperationException($"slapd stopped: {await process.StandardError.ReadToEndAsync()}");
        await server.LdifAsync("ldapadd", $"""
            dn: {BaseDn}
            objectClass: dcObject
            objectClass: organization
            o: Example
            dc: example

            dn: {People}
            objectClass: organizationalUnit
            ou: people

            dn: {Groups}
            objectClass: organizationalUnit
            ou: groups

            dn: {ServiceDn}
            objectClass: person
            cn: service
            sn: Service
            userPassword: {ServicePassword}
            """);
        return server;
    }

    /// <summary>A person under ou=people (uid, mail, userPassword), in the given groups (created when missing).</summary>
    public async Task<string> AddPersonAsync(string uid, string mail, string password, params string[] groups)
    {
        var dn = $"uid={uid},{People}";
        await LdifAsync("ldapadd", $"""
            dn: {dn}
            objectClass: inetOrgPerson
            uid: {uid}
            cn: {uid}
            givenName: Dir
            sn: {uid}
            mail: {mail}
            userPassword: {password}
            """);
        foreach (var group in groups) await AddToGroupAsync(group, dn);
        return dn;
    }

    public static string GroupDn(string name) => $"cn={name},{Groups}";

    /// <summary>Adds <paramref name="memberDn"/> to the group named <paramref name="group"/>, creating the group with it.</summary>
    public async Task AddToGroupAsync(string group, string memberDn)
    {
        if (await LdifAsync("ldapmodify", $"dn: {GroupDn(group)}\nchangetype: modify\nadd: member\nmember: {memberDn}\n", allowFailure: true) != 0)
            // groupOfNames needs a member: the service account stays in every group, so removing a person never empties one.
            await LdifAsync("ldapadd", $"dn: {GroupDn(group)}\nobjectClass: groupOfNames\ncn: {group}\nmember: {ServiceDn}\nmember: {memberDn}\n");
    }

    public Task RemoveFromGroupAsync(string group, string memberDn) =>
        LdifAsync("ldapmodify", $"dn: {GroupDn(group)}\nchangetype: modify\ndelete: member\nmember: {memberDn}\n");

    public Task DeleteAsync(string dn) => LdifAsync("ldapmodify", $"dn: {dn}\nchangetype: delete\n");

    /// <summary>Runs ldapadd/ldapmodify as the directory's root over loopback (the test's own administration, not the app's).</summary>
    private async Task<int> LdifAsync(string tool, string ldif, bool allowFailure = false)
    {
        using var process = Process.Start(new ProcessStartInfo(tool)
        {
            ArgumentList = { "-x", "-H", $"ldap://127.0.0.1:{LdapPort}", "-D", RootDn, "-w", RootPassword },
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        })!;
        await process.StandardInput.WriteAsync(ldif.Replace("\r", ""));
        process.StandardInput.Close();
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0 && !allowFailure) throw new InvalidOperationException($"{tool} failed ({process.ExitCode}): {await error}\n{ldif}");
        return process.ExitCode;
    }

    /// <summary>A CA and a server certificate it issued, as PEM.</summary>
    private static (string Ca, string Server, string Key) Certificates()
    {
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=Switchboard Test LDAP CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));

        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        // libldap checks a loopback connection's certificate against this machine's own name.
        names.AddDnsName(Dns.GetHostName());
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        using var server = request.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(29), RandomNumberGenerator.GetBytes(16));
        return (ca.ExportCertificatePem(), server.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
