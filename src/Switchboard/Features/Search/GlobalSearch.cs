using Microsoft.EntityFrameworkCore;
using Npgsql;
using Switchboard.Features.Accounts;
using Switchboard.Features.Modules;
using Switchboard.Platform.Database;
using Switchboard.Platform.Tenancy;
using Switchboard.Platform.Web;

namespace Switchboard.Features.Search;

/// <summary>One record found by <see cref="GlobalSearch"/>: what to show, how well it matched (0–1), and where it lives in the UI.</summary>
public sealed record SearchHit(Guid Id, string Title, string? Subtitle, double Score, string Url);

/// <summary>GET /api/v1/search: the best matches per entity, each list best first.</summary>
public sealed record SearchResults(string Query, IReadOnlyList<SearchHit> Leads, IReadOnlyList<SearchHit> Contacts, IReadOnlyList<SearchHit> Accounts, IReadOnlyList<SearchHit> Opportunities);

/// <summary>
/// Typo-tolerant search across leads, contacts, accounts and opportunities (migration 0005): names, emails,
/// company and domain by trigram word similarity (pg_trgm's <c>%&gt;</c> on each table's generated
/// <c>search_text</c> column, served by a GIN index), and phone numbers by their digits. One round trip on
/// the tenant's connection, so row-level security applies; agents find only records they own; a
/// switched-off module's records are not searched.
/// </summary>
public sealed class GlobalSearch(SwitchboardDbContext db, TenantContext ctx, ModuleSettings modules)
{
    public const int MinLength = 2;
    public const int MaxLength = 100;
    public const int DefaultLimit = 5;

    /// <summary>
    /// How alike a query and a part of the record must be (0–1). pg_trgm's default, 0.6, misses ordinary typos
    /// in short names: "jonh smiht" scores 0.36 against "john smith". Results are ranked and capped, so a low
    /// threshold costs only ranking work.
    /// </summary>
    public const double SimilarityThreshold = 0.3;

    public async Task<Outcome<SearchResults>> SearchAsync(string? q, int? limit, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var query = (q ?? "").Trim();
        if (query.Length < MinLength || query.Length > MaxLength)
            errors.Add("q", $"Search for {MinLength} to {MaxLength} characters.");
        var take = limit ?? DefaultLimit;
        if (take is < 1 or > 50) errors.Add("limit", "limit must be between 1 and 50.");
        if (!errors.IsValid) return new Outcome<SearchResults>.Invalid(errors.ToDictionary());

        var digits = new string(query.Where(char.IsAsciiDigit).ToArray());
        var owner = CrmPermissions.SeesOnlyOwn(ctx) ? ctx.UserId : null;
        var withOpportunities = await modules.IsEnabledAsync(ModuleNames.Opportunities, ct);

        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var conn = (NpgsqlConnection)db.Database.GetDbConnection();
            await using var tx = await conn.BeginTransactionAsync(ct);
            await using var batch = new NpgsqlBatch(conn, tx);
            batch.BatchCommands.Add(new NpgsqlBatchCommand("select set_config('pg_trgm.word_similarity_threshold', $1, true)")
            {
                Parameters = { new NpgsqlParameter { Value = SimilarityThreshold.ToString(System.Globalization.CultureInfo.InvariantCulture) } },
            });
            var search = new NpgsqlBatchCommand(withOpportunities ? Sql : SqlWithoutOpportunities)
            {
                Parameters =
                {
                    new NpgsqlParameter { Value = query.ToLowerInvariant() },
                    new NpgsqlParameter { Value = digits.Length >= 4 ? digits : "" },
                    new NpgsqlParameter { Value = (object?)owner ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid },
                    new NpgsqlParameter { Value = take },
                },
            };
            batch.BatchCommands.Add(search);
            var hits = new Dictionary<string, List<SearchHit>> { ["lead"] = [], ["contact"] = [], ["account"] = [], ["opportunity"] = [] };
            await using (var reader = await batch.ExecuteReaderAsync(ct))
            {
                await reader.NextResultAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    var kind = reader.GetString(0);
                    var id = reader.GetGuid(1);
                    hits[kind].Add(new SearchHit(id, reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                        Math.Round(reader.GetDouble(4), 3), Url(kind, id)));
                }
            }
            await tx.CommitAsync(ct);
            return new SearchResults(query, hits["lead"], hits["contact"], hits["account"], hits["opportunity"]);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static string Url(string kind, Guid id) => kind switch
    {
        "lead" => $"/leads/{id}",
        "contact" => $"/contacts/{id}",
        "account" => $"/accounts/{id}",
        _ => $"/opportunities/{id}",
    };

    // $1 the query in lower case, $2 its digits (when there are at least four), $3 the agent's id (or null), $4 the limit per entity.
    // Each branch filters on the indexed columns (search_text %> q: q is word-similar to a part of the text), then ranks by similarity (a phone match ranks first).
    private const string Leads = """
        (select 'lead' as kind, id, trim(first_name || ' ' || last_name) as title, coalesce(company, email, phone) as subtitle,
                greatest(word_similarity($1, search_text),
                         case when $2 <> '' and phone like '%' || $2 || '%' then 1 else 0 end)::float8 as score
         from leads
         where ($3::uuid is null or owner_id = $3)
           and (search_text %> $1 or ($2 <> '' and phone like '%' || $2 || '%'))
         order by score desc, id limit $4)
        """;

    private const string Contacts = """
        (select 'contact', id, trim(first_name || ' ' || last_name), coalesce(emails[1], phones[1]),
                greatest(word_similarity($1, search_text),
                         case when $2 <> '' and search_phones like '%' || $2 || '%' then 1 else 0 end)::float8 as score
         from contacts
         where ($3::uuid is null or owner_id = $3)
           and (search_text %> $1 or ($2 <> '' and search_phones like '%' || $2 || '%'))
         order by score desc, id limit $4)
        """;

    private const string Accounts = """
        (select 'account', id, name, coalesce(domain, phone),
                greatest(word_similarity($1, search_text),
                         case when $2 <> '' and phone like '%' || $2 || '%' then 1 else 0 end)::float8 as score
         from accounts
         where ($3::uuid is null or owner_id = $3)
           and (search_text %> $1 or ($2 <> '' and phone like '%' || $2 || '%'))
         order by score desc, id limit $4)
        """;

    private const string Opportunities = """
        (select 'opportunity', id, name, currency || ' ' || coalesce(amount::text, '—'), word_similarity($1, search_text)::float8 as score
         from opportunities
         where ($3::uuid is null or owner_id = $3) and search_text %> $1
         order by score desc, id limit $4)
        """;

    private const string SqlWithoutOpportunities = Leads + "\nunion all\n" + Contacts + "\nunion all\n" + Accounts;
    private const string Sql = SqlWithoutOpportunities + "\nunion all\n" + Opportunities;
}
