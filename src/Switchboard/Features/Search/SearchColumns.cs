using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Switchboard.Features.Accounts;
using Switchboard.Features.Contacts;
using Switchboard.Features.Leads;
using Switchboard.Features.Opportunities;

namespace Switchboard.Features.Search;

/// <summary>
/// The generated search columns of migrations 0005 (trigram text) and 0007 (prefix keys), known to EF as
/// read-only shadow properties so the model matches the table; only <see cref="GlobalSearch"/> reads them, in SQL.
/// </summary>
public static class SearchColumns
{
    /// <summary>Prefix keys per entity (column name → generated expression), as migration 0007 creates them.</summary>
    private static readonly Dictionary<Type, (string Column, string Sql)[]> PrefixKeys = new()
    {
        [typeof(Lead)] =
        [
            ("search_name", "lower(first_name || ' ' || last_name)"), ("search_surname", "lower(last_name || ' ' || first_name)"),
            ("search_company", "lower(company)"), ("search_email", "lower(email)"),
            ("search_domain", "nullif(split_part(lower(email), '@', 2), '')"),
        ],
        [typeof(Contact)] =
        [
            ("search_name", "lower(first_name || ' ' || last_name)"), ("search_surname", "lower(last_name || ' ' || first_name)"),
            ("search_email", "lower(emails[1])"), ("search_domain", "nullif(split_part(lower(emails[1]), '@', 2), '')"),
        ],
        [typeof(Account)] = [("search_name", "lower(name)"), ("search_domain", "lower(domain)")],
        [typeof(Opportunity)] = [("search_name", "lower(name)")],
    };

    public static void Map<T>(EntityTypeBuilder<T> e, string text, string? phones = null) where T : class
    {
        e.Property<string>("SearchText").HasComputedColumnSql(text, stored: true);
        if (phones is not null) e.Property<string>("SearchPhones").HasComputedColumnSql(phones, stored: true);
        foreach (var (column, sql) in PrefixKeys.GetValueOrDefault(typeof(T), []))
            e.Property<string>(column).HasColumnName(column).UseCollation("C").HasComputedColumnSql(sql, stored: true);
    }
}
