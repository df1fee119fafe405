using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Switchboard.Features.Search;

/// <summary>
/// The generated search columns of migration 0005, known to EF as read-only shadow properties so the model
/// matches the table; only <see cref="GlobalSearch"/> reads them, in SQL.
/// </summary>
public static class SearchColumns
{
    public static void Map<T>(EntityTypeBuilder<T> e, string text, string? phones = null) where T : class
    {
        e.Property<string>("SearchText").HasComputedColumnSql(text, stored: true);
        if (phones is not null) e.Property<string>("SearchPhones").HasComputedColumnSql(phones, stored: true);
    }
}
