using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Switchboard.Platform.Database;
using Switchboard.Testing;

namespace Switchboard.Tests.Platform;

/// <summary>The EF Core model and the SQL migrations describe the same tables, columns, types and nullability.</summary>
public sealed class SchemaAgreementTests(SwitchboardHost host) : IClassFixture<SwitchboardHost>
{
    [Fact]
    public async Task Every_mapped_column_exists_in_the_database_with_the_same_type_and_nullability()
    {
        var database = await ReadColumnsAsync();
        await using var scope = host.Services.CreateAsyncScope();
        var model = scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>().Model;

        var mismatches = new List<string>();
        foreach (var entity in model.GetEntityTypes().Where(e => e.GetTableName() is not null))
        {
            var table = entity.GetTableName()!;
            var store = StoreObjectIdentifier.Table(table, entity.GetSchema());
            foreach (var property in entity.GetProperties())
            {
                var column = property.GetColumnName(store)!;
                if (!database.TryGetValue((table, column), out var actual))
                {
                    mismatches.Add($"{table}.{column}: mapped by EF but missing in the database");
                    continue;
                }
                var expectedType = Normalize(property.GetColumnType());
                if (expectedType != actual.Type) mismatches.Add($"{table}.{column}: EF {expectedType}, database {actual.Type}");
                if (property.IsNullable != actual.Nullable) mismatches.Add($"{table}.{column}: EF nullable={property.IsNullable}, database nullable={actual.Nullable}");
            }
        }

        mismatches.ShouldBeEmpty();
    }

    [Fact]
    public async Task Every_database_column_of_a_mapped_table_is_mapped_by_EF()
    {
        var database = await ReadColumnsAsync();
        await using var scope = host.Services.CreateAsyncScope();
        var model = scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>().Model;
        var mapped = model.GetEntityTypes()
            .Where(e => e.GetTableName() is not null)
            .SelectMany(e => e.GetProperties().Select(p => (e.GetTableName()!, p.GetColumnName(StoreObjectIdentifier.Table(e.GetTableName()!, e.GetSchema()))!)))
            .ToHashSet();
        var mappedTables = mapped.Select(m => m.Item1).ToHashSet();

        var unmapped = database.Keys.Where(k => mappedTables.Contains(k.Table) && !mapped.Contains(k)).Select(k => $"{k.Table}.{k.Column}").ToList();

        unmapped.ShouldBeEmpty();
    }

    private async Task<Dictionary<(string Table, string Column), (string Type, bool Nullable)>> ReadColumnsAsync()
    {
        await using var conn = new NpgsqlConnection(host.Database.OwnerConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            select c.table_name, c.column_name, format_type(a.atttypid, a.atttypmod), c.is_nullable = 'YES'
            from information_schema.columns c
            join pg_attribute a on a.attrelid = ('public.' || quote_ident(c.table_name))::regclass and a.attname = c.column_name
            where c.table_schema = 'public'
            """, conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        var result = new Dictionary<(string, string), (string, bool)>();
        while (await reader.ReadAsync()) result[(reader.GetString(0), reader.GetString(1))] = (Normalize(reader.GetString(2)), reader.GetBoolean(3));
        return result;
    }

    private static string Normalize(string? type) => (type ?? "").ToLowerInvariant() switch
    {
        "char(2)" => "character(2)",
        "char(3)" => "character(3)",
        "varchar(256)" => "character varying(256)",
        "timestamptz" => "timestamp with time zone",
        "int" or "int4" => "integer",
        var other => other,
    };
}
