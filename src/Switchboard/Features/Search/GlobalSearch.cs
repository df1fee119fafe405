using Npgsql;
using Switchboard.Features.Accounts;
using Switchboard.Features.Modules;

namespace Switchboard.Features.Search;

/// <summary>One record found by <see cref="GlobalSearch"/>: what to show, how well it matched (0–1), and where it lives in the UI.</summary>
public sealed record SearchHit(Guid Id, string Title, string? Subtitle, double Score, string Url);

/// <summary>GET /api/v1/search: the best matches per entity, each list best first.</summary>
public sealed record SearchResults(string Query, IReadOnlyList<SearchHit> Leads, IReadOnlyList<SearchHit> Contacts, IReadOnlyList<SearchHit> Accounts, IReadOnlyList<SearchHit> Opportunities);

/// <summary>
/// Search across leads, contacts, accounts and opportunities: names, emails, company and domain by prefix as typed,
/// misspelt words corrected against the tenant's known words, then trigram similarity; phone numbers by their digits.
/// <see cref="SearchPlan"/> describes the stages (ADR 0011). All on the tenant's connection, so row-level security
/// applies; agents find only records they own; a switched-off module's records are not searched.
/// </summary>
[Scoped]
public sealed class GlobalSearch(StandbyReads reads, TenantContext ctx, ModuleSettings modules, IOptions<DatabaseOptions> database)
{
    public const int MinLength = 2;
    public const int MaxLength = 100;
    public const int DefaultLimit = 5;

    /// <summary>
    /// How alike a query word and a known term must be (trigram word similarity, 0–1) to be considered as its
    /// correction (<see cref="SpellingCorrector"/>; the edit distance then decides).
    /// </summary>
    public const double CorrectionThreshold = 0.3;

    /// <summary>
    /// How alike the query and a part of a record's text must be for the last stage, trigram similarity (0–1). Typos
    /// are the corrector's job, so this stage is for text the prefix keys do not start with (a domain, a word inside a
    /// company name), which matches well; 0.5 keeps common fragments ("example" in every email) from matching
    /// most of the table.
    /// </summary>
    public const double SimilarityThreshold = 0.5;

    /// <summary>
    /// Below this many letters the query is matched by prefix and phone digits only: trigram similarity of "ab" or
    /// "555-0177" would compare against a large part of the table and rank nothing useful.
    /// </summary>
    public const int MinLettersForSimilarity = 3;

    /// <summary>The kinds of record searched, for a search of one kind only (a record picker).</summary>
    public static readonly IReadOnlyList<string> Kinds = ["lead", "contact", "account", "opportunity"];

    /// <param name="kind">One of <see cref="Kinds"/> to search only that kind; null searches them all.</param>
    public async Task<Outcome<SearchResults>> SearchAsync(string? q, int? limit, CancellationToken ct, string? kind = null)
    {
        var errors = new ValidationErrors();
        var query = (q ?? "").Trim();
        if (query.Length < MinLength || query.Length > MaxLength)
            errors.Add("q", $"Search for {MinLength} to {MaxLength} characters.");
        var take = limit ?? DefaultLimit;
        if (take is < 1 or > 50) errors.Add("limit", "limit must be between 1 and 50.");
        if (kind is not null && !Kinds.Contains(kind)) errors.Add("kind", $"kind must be one of: {string.Join(", ", Kinds)}.");
        if (!errors.IsValid) return new Outcome<SearchResults>.Invalid(errors.ToDictionary());

        var digits = new string(query.Where(char.IsAsciiDigit).ToArray());
        var owner = RecordVisibility.OwnerScope(ctx);
        var withOpportunities = await modules.IsEnabledAsync(ModuleNames.Opportunities, ct);
        IReadOnlyList<SearchPlan> plans = [.. (withOpportunities ? [LeadPlan, ContactPlan, AccountPlan, OpportunityPlan] : new[] { LeadPlan, ContactPlan, AccountPlan })
            .Where(p => kind is null || p.Kind == kind)];
        if (plans.Count == 0) return new SearchResults(query, [], [], [], []);

        var normalized = Normalize(query);
        var similarity = query.Count(char.IsLetter) >= MinLettersForSimilarity;
        var db = await reads.ContextAsync(ct); // a caught-up standby when there is one (ADR 0070)
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var conn = (NpgsqlConnection)db.Database.GetDbConnection();
            await using var tx = await conn.BeginTransactionAsync(ct);
            await db.Connection.EnterAsync(tx, ct);
            // The statements are prepared (unless Database:PreparedStatements is off, ADR 0062) and run with generic plans: planning the many-branched search per query took
            // longer than running it. JIT compiling it would cost 100 ms and more for a query that runs in a few.
            await SetAsync(conn, tx, """
                select set_config('pg_trgm.word_similarity_threshold', $1, true), set_config('jit', 'off', true),
                       set_config('plan_cache_mode', 'force_generic_plan', true)
                """, CorrectionThreshold, ct);
            IReadOnlyList<string> spellings = [];
            if (similarity)
            {
                spellings = await SpellingCorrector.CorrectAsync(conn, tx, normalized, database.Value.PreparedStatements, ct);
                // The similarity stage's threshold; without that stage (too few letters) nothing reads it.
                await SetAsync(conn, tx, "select set_config('pg_trgm.word_similarity_threshold', $1, true)", SimilarityThreshold, ct);
            }
            await using var search = new NpgsqlCommand(SearchPlan.Sql(plans, spellings.Count), conn, tx)
            {
                Parameters =
                {
                    new NpgsqlParameter { Value = normalized },
                    new NpgsqlParameter { Value = digits.Length >= 4 ? digits : "" },
                    new NpgsqlParameter { Value = (object?)owner ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid },
                    new NpgsqlParameter { Value = take },
                    new NpgsqlParameter { Value = similarity },
                },
            };
            foreach (var spelling in spellings) search.Parameters.Add(new NpgsqlParameter { Value = spelling });
            if (database.Value.PreparedStatements) await search.PrepareAsync(ct);
            var hits = new Dictionary<string, List<SearchHit>> { ["lead"] = [], ["contact"] = [], ["account"] = [], ["opportunity"] = [] };
            await using (var reader = await search.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    var found = reader.GetString(0);
                    var id = reader.GetGuid(1);
                    hits[found].Add(new SearchHit(id, reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                        Math.Round(reader.GetDouble(4), 3), Url(found, id)));
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

    private static async Task SetAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, double threshold, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx)
        {
            Parameters = { new NpgsqlParameter { Value = threshold.ToString(System.Globalization.CultureInfo.InvariantCulture) } },
        };
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Lower case with runs of whitespace as one space, like the generated prefix keys ("first last").</summary>
    private static string Normalize(string query) => string.Join(' ', query.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static string Url(string kind, Guid id) => kind switch
    {
        "lead" => $"/leads/{id}",
        "contact" => $"/contacts/{id}",
        "account" => $"/accounts/{id}",
        _ => $"/opportunities/{id}",
    };

    private static readonly SearchPlan LeadPlan = new("lead", "leads", "trim(first_name || ' ' || last_name)", "coalesce(company, email, phone)",
        ["search_name", "search_surname", "search_company", "search_email", "search_domain"], "phone");
    private static readonly SearchPlan ContactPlan = new("contact", "contacts", "trim(first_name || ' ' || last_name)", "coalesce(emails[1], phones[1])",
        ["search_name", "search_surname", "search_email", "search_domain"], "search_phones");
    private static readonly SearchPlan AccountPlan = new("account", "accounts", "name", "coalesce(domain, phone)",
        ["search_name", "search_domain"], "phone");
    private static readonly SearchPlan OpportunityPlan = new("opportunity", "opportunities", "name", "currency || ' ' || coalesce(amount::text, '—')",
        ["search_name"], null);

}
