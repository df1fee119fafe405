using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;

namespace Switchboard.Platform.Database;

/// <summary>
/// The Data Protection key ring in PostgreSQL, so every instance shares the keys that protect cookies,
/// antiforgery tokens, access tokens and stored secrets. (The EF-based package is not on our registry.)
/// </summary>
public sealed class PostgresXmlRepository(DatabaseConnections connections) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var conn = new NpgsqlConnection(connections.Runtime);
        conn.Open();
        using var cmd = new NpgsqlCommand("select xml from data_protection_keys order by id", conn);
        using var reader = cmd.ExecuteReader();
        var keys = new List<XElement>();
        while (reader.Read()) keys.Add(XElement.Parse(reader.GetString(0)));
        return keys;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var conn = new NpgsqlConnection(connections.Runtime);
        conn.Open();
        using var cmd = new NpgsqlCommand("insert into data_protection_keys (friendly_name, xml) values ($1, $2)", conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = friendlyName });
        cmd.Parameters.Add(new NpgsqlParameter { Value = element.ToString(SaveOptions.DisableFormatting) });
        cmd.ExecuteNonQuery();
    }
}
