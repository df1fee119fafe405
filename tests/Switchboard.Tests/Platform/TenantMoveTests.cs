using System.IO.Compression;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Switchboard.Platform.Cli;
using Switchboard.Platform.Database;
using Switchboard.Platform.Tenancy.TenantMoves;
using Switchboard.Testing;

namespace Switchboard.Tests.Platform;

/// <summary>
/// Two tenants with rows in every tenant table (the RLS fill); tenant A exported once through the command line and
/// imported once into a fresh second database on the same cluster, served there by a second app.
/// </summary>
public sealed class TenantMoveHost : IAsyncLifetime
{
    private readonly TwoTenantsHost _source = new();

    public TestDatabase Database => _source.Database;
    public IServiceProvider Services => _source.Services;
    public TestTenant A => _source.A;
    public TestTenant B => _source.B;
    public Task<HttpClient> LoginAsync(string email) => _source.LoginAsync(email);

    public Task InitializeAsync() => _source.InitializeAsync();

    private readonly SemaphoreSlim _lock = new(1, 1);
    private Moved? _moved;
    private readonly List<TestDatabase> _extra = [];
    private readonly string _dir = Directory.CreateTempSubdirectory("switchboard-move-").FullName;

    public sealed record Moved(string Archive, string ExportOutput, TestDatabase Target, ImportReport Report, string ImportOutput, WebApplication App, Uri BaseAddress);

    public string TempPath(string name) => Path.Combine(_dir, name);

    public string[] Connection(TestDatabase db) =>
        [$"--{DatabaseConnections.RuntimeKey}={db.RuntimeConnectionString}", $"--{DatabaseConnections.OwnerKey}={db.OwnerConnectionString}"];

    public async Task<TestDatabase> FreshDatabaseAsync()
    {
        var db = await TestCluster.CreateDatabaseAsync();
        lock (_extra) _extra.Add(db);
        return db;
    }

    public async Task<Moved> MovedAsync()
    {
        await _lock.WaitAsync();
        try
        {
            return _moved ??= await MoveAsync();
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task<Moved> MoveAsync()
    {
        var archive = TempPath("a.zip");
        var errors = new StringWriter();
        var stdout = Console.Out;
        var exportOutput = new StringWriter();
        int code;
        Console.SetOut(exportOutput);
        try
        {
            code = await SwitchboardCli.RunAsync(["tenant", "export", "--tenant", A.Slug, "--out", archive, .. Connection(Database)], errors);
        }
        finally
        {
            Console.SetOut(stdout);
        }
        code.ShouldBe(0, errors.ToString());

        var target = await FreshDatabaseAsync();
        var importOutput = new StringWriter();
        var report = await TenantImport.RunAsync(target.OwnerConnectionString, archive, importOutput, CancellationToken.None);

        var settings = new Dictionary<string, string?>
        {
            [DatabaseConnections.RuntimeKey] = target.RuntimeConnectionString,
            [DatabaseConnections.OwnerKey] = target.OwnerConnectionString,
            ["urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = Environment.GetEnvironmentVariable("SWITCHBOARD_TEST_LOG") ?? "Warning",
            ["Identity:PasswordHashIterations"] = "1000",
            ["Security:AllowPrivateNetworkUrls"] = "true",
        };
        foreach (var (key, value) in SwitchboardHost.Unthrottled) settings[key] = value;
        var app = Program.BuildApp([], settings);
        await app.Services.GetRequiredService<DatabaseStartup>().RunAsync(CancellationToken.None);
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return new Moved(archive, exportOutput.ToString(), target, report, importOutput.ToString(), app, address);
    }

    public async Task DisposeAsync()
    {
        if (_moved is not null)
        {
            await _moved.App.StopAsync();
            await _moved.App.DisposeAsync();
        }
        foreach (var db in _extra) await db.DropAsync();
        await _source.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}

public sealed class TenantMoveTests(TenantMoveHost host) : IClassFixture<TenantMoveHost>
{
    [Fact]
    public async Task Every_tenant_table_of_the_moved_tenant_has_the_same_rows_and_checksum_on_the_target()
    {
        var moved = await host.MovedAsync();

        moved.Report.Checks.Where(c => !c.Ok).Select(c => c.Table).ShouldBeEmpty();
        await using var conn = new NpgsqlConnection(host.Database.OwnerConnectionString);
        await conn.OpenAsync();
        var owned = (await TenantTables.ListTenantOwnedAsync(conn)).Select(t => t.Name).ToList();
        var checkedTables = moved.Report.Checks.Select(c => c.Table).ToList();
        owned.Except(checkedTables).ShouldBeEmpty("every tenant-owned table is exported and verified");
        // The RLS fill gives tenant A rows in every tenant-owned table, so an empty table here would be a table not moved.
        moved.Report.Checks.Where(c => owned.Contains(c.Table) && c.TargetRows == 0).Select(c => c.Table).ShouldBeEmpty();
        moved.Report.Checks.Single(c => c.Table == "audit_chain").TargetRows.ShouldBeGreaterThan(0);
        moved.ImportOutput.ShouldContain("tables verified (rows and checksums match the archive)");
        moved.ExportOutput.ShouldContain($"Exported tenant {host.A.Slug}");
        (await CountAsync(moved.Target.OwnerConnectionString, host.B.Id, "leads")).ShouldBe(0, "only tenant A moves");
        // webhook_events.seq is an identity column: kept as it was, and the target's sequence moved past it.
        var maxSeq = await InTenantAsync<long>(moved.Target.OwnerConnectionString, host.A.Id, "select max(seq) from webhook_events");
        var next = await InTenantAsync<long>(moved.Target.OwnerConnectionString, host.A.Id, "select last_value from webhook_events_seq_seq");
        next.ShouldBeGreaterThanOrEqualTo(maxSeq);
    }

    [Fact]
    public async Task A_lead_read_through_the_app_on_the_target_equals_the_lead_on_the_source_for_the_same_user_and_password()
    {
        var moved = await host.MovedAsync();
        var leadId = await FirstLeadAsync(host.Database.OwnerConnectionString, host.A.Id);
        using var source = await host.LoginAsync(host.A.Email("manager"));
        using var target = await TargetLoginAsync(moved, host.A.Email("manager"), host.A.Slug);

        var onSource = await source.GetStringAsync($"/api/v1/leads/{leadId}");
        var onTarget = await target.GetStringAsync($"/api/v1/leads/{leadId}");

        JsonNode.DeepEquals(JsonNode.Parse(onTarget), JsonNode.Parse(onSource)).ShouldBeTrue($"source {onSource}\ntarget {onTarget}");
        JsonNode.Parse(onTarget)!["lastName"]!.GetValue<string>().ShouldBe("Prospect");
    }

    [Fact]
    public async Task The_moved_audit_chain_verifies_on_the_target_and_keeps_growing_there()
    {
        var moved = await host.MovedAsync();
        var sourceOut = new StringWriter();
        (await AuditVerification.RunAsync(host.Services, host.A.Slug, sourceOut, CancellationToken.None)).ShouldBe(0, sourceOut.ToString());
        using (await TargetLoginAsync(moved, host.A.Email("admin"), host.A.Slug)) { } // writes audit rows on the target
        var before = await CountAsync(moved.Target.OwnerConnectionString, host.A.Id, "audit_log");

        var output = new StringWriter();
        var code = await AuditVerification.RunAsync(moved.App.Services, host.A.Slug, output, CancellationToken.None);

        code.ShouldBe(0, output.ToString());
        output.ToString().ShouldContain($"tenant {host.A.Slug}: ");
        output.ToString().ShouldContain("intact");
        before.ShouldBeGreaterThan(moved.Report.Checks.Single(c => c.Table == "audit_log").SourceRows);
    }

    [Fact]
    public async Task Importing_the_same_tenant_a_second_time_is_refused_and_changes_nothing()
    {
        var moved = await host.MovedAsync();
        var leads = await CountAsync(moved.Target.OwnerConnectionString, host.A.Id, "leads");
        var errors = new StringWriter();

        var code = await SwitchboardCli.RunAsync(["tenant", "import", "--in", moved.Archive, .. host.Connection(moved.Target)], errors);

        code.ShouldBe(1);
        errors.ToString().ShouldContain($"already has the tenant '{host.A.Slug}'");
        (await CountAsync(moved.Target.OwnerConnectionString, host.A.Id, "leads")).ShouldBe(leads);
    }

    [Fact]
    public async Task A_table_file_changed_after_the_export_is_refused_before_anything_is_written()
    {
        var (refused, _, tenants) = await ImportChangedCopyAsync(zip => RewriteAsync(zip, "leads", text => text.Replace("Prospect", "Prospekt"), fixManifest: false));

        refused.Message.ShouldContain("_leads.copy (leads) was changed after the export");
        tenants.ShouldBe(0);
    }

    [Fact]
    public async Task A_changed_table_with_a_matching_file_hash_fails_the_SQL_checksum_and_is_rolled_back()
    {
        var (refused, output, tenants) = await ImportChangedCopyAsync(zip => RewriteAsync(zip, "leads", text => text.Replace("Prospect", "Prospekt"), fixManifest: true));

        // leads differ, and so does search_terms: the leads trigger adds the changed name's word.
        refused.Message.ShouldContain("differ from the archive after the import (");
        refused.Message.ShouldContain("leads");
        output.ShouldContain("MISMATCH");
        tenants.ShouldBe(0);
    }

    [Fact]
    public async Task An_archive_from_another_schema_version_is_refused()
    {
        var version = 0;
        var (refused, _, tenants) = await ImportChangedCopyAsync(async zip =>
        {
            var manifest = await ReadManifestAsync(zip);
            version = manifest.SchemaVersion;
            await WriteManifestAsync(zip, manifest with { SchemaVersion = manifest.SchemaVersion - 1 });
        });

        refused.Message.ShouldContain($"exported at schema version {version - 1}; this database is at {version}");
        tenants.ShouldBe(0);
    }

    [Fact]
    public async Task An_archive_whose_manifest_names_other_tables_than_this_database_lists_is_refused()
    {
        var (refused, _, tenants) = await ImportChangedCopyAsync(async zip =>
        {
            var manifest = await ReadManifestAsync(zip);
            // The leads file aimed at the global users table instead.
            await WriteManifestAsync(zip, manifest with { Parts = manifest.Parts.Select(p => p.Table == "leads" ? p with { Table = "users" } : p).ToList() });
        });

        refused.Message.ShouldContain("The archive's tables do not match this database's");
        tenants.ShouldBe(0);
    }

    /// <summary>Imports a changed copy of the archive into a fresh database: the refusal, the printed lines, and whether tenant A is there.</summary>
    private async Task<(TenantMoveException Refused, string Output, long Tenants)> ImportChangedCopyAsync(Func<ZipArchive, Task> change)
    {
        var moved = await host.MovedAsync();
        var copy = host.TempPath($"{Guid.NewGuid():N}.zip");
        File.Copy(moved.Archive, copy);
        using (var zip = ZipFile.Open(copy, ZipArchiveMode.Update)) await change(zip);
        var target = await host.FreshDatabaseAsync();
        var output = new StringWriter();

        var refused = await Should.ThrowAsync<TenantMoveException>(() => TenantImport.RunAsync(target.OwnerConnectionString, copy, output, CancellationToken.None));

        return (refused, output.ToString(), await TenantCountAsync(target.OwnerConnectionString, host.A.Id));
    }

    private static async Task RewriteAsync(ZipArchive zip, string table, Func<string, string> change, bool fixManifest)
    {
        var manifest = await ReadManifestAsync(zip);
        var part = manifest.Parts.Single(p => p.Table == table && p.Kind == MovePartKind.TenantTable);
        var entry = zip.GetEntry(part.File)!;
        string text;
        using (var reader = new StreamReader(entry.Open())) text = await reader.ReadToEndAsync();
        var changed = change(text);
        changed.ShouldNotBe(text);
        entry.Delete();
        await using (var stream = zip.CreateEntry(part.File).Open()) await stream.WriteAsync(Encoding.UTF8.GetBytes(changed));
        if (!fixManifest) return;
        var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(changed)));
        await WriteManifestAsync(zip, manifest with { Parts = manifest.Parts.Select(p => p == part ? p with { Sha256 = sha } : p).ToList() });
    }

    private static async Task<MoveManifest> ReadManifestAsync(ZipArchive zip)
    {
        await using var stream = zip.GetEntry(MoveManifest.EntryName)!.Open();
        return (await JsonSerializer.DeserializeAsync<MoveManifest>(stream, MoveManifest.Json))!;
    }

    private static async Task WriteManifestAsync(ZipArchive zip, MoveManifest manifest)
    {
        zip.GetEntry(MoveManifest.EntryName)!.Delete();
        await using var stream = zip.CreateEntry(MoveManifest.EntryName).Open();
        await JsonSerializer.SerializeAsync(stream, manifest, MoveManifest.Json);
    }

    private static async Task<HttpClient> TargetLoginAsync(TenantMoveHost.Moved moved, string email, string slug)
    {
        using var anonymous = new HttpClient { BaseAddress = moved.BaseAddress };
        var response = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email, password = SwitchboardHost.Password, tenant = slug });
        response.EnsureSuccessStatusCode();
        var tokens = (await response.Content.ReadFromJsonAsync<SwitchboardHost.Tokens>())!;
        var client = new HttpClient { BaseAddress = moved.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new("Bearer", tokens.AccessToken);
        return client;
    }

    /// <summary>Reads as the owner inside a transaction that enters the tenant (row-level security holds for the owner).</summary>
    private static async Task<T> InTenantAsync<T>(string ownerConnectionString, Guid tenantId, string sql)
    {
        await using var conn = new NpgsqlConnection(ownerConnectionString);
        await conn.OpenAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await using (var enter = new NpgsqlCommand($"select set_config('app.tenant_id', '{tenantId}', true)", conn, tx)) await enter.ExecuteNonQueryAsync();
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    private static Task<long> CountAsync(string owner, Guid tenantId, string table) =>
        InTenantAsync<long>(owner, tenantId, $"select count(*) from {table} where tenant_id = '{tenantId}'");

    private static Task<long> TenantCountAsync(string owner, Guid tenantId) =>
        InTenantAsync<long>(owner, tenantId, $"select count(*) from tenants where id = '{tenantId}'");

    private static Task<Guid> FirstLeadAsync(string owner, Guid tenantId) =>
        InTenantAsync<Guid>(owner, tenantId, $"select id from leads where tenant_id = '{tenantId}' and last_name = 'Prospect' order by id limit 1");
}
