namespace Switchboard.Features.Search;

/// <summary>
/// How <see cref="GlobalSearch"/> searches one entity's table: three stages, each of which stops early, and each
/// run only when the one before found nothing for this entity (ADR 0011).
/// <list type="number">
/// <item><b>found</b>: the query is a prefix of one of the lower-case prefix keys of migration 0007 (b-tree:
/// <c>key ^@ q order by key limit n</c> reads n index entries however many rows match), or, with four digits or
/// more, a substring of the phone (trigram GIN).</item>
/// <item><b>corrected</b>: the same prefix probes for the query with misspelt words corrected against the
/// tenant's <c>search_terms</c> (<see cref="SpellingCorrector"/>): "kowalsky" → "kowalski".</item>
/// <item><b>similar</b>: trigram word similarity on <c>search_text</c> (GIN, migration 0005), for what the keys do not
/// start with: a domain inside an email, a word in the middle of a company name. The slow path at scale.</item>
/// </list>
/// What the stages found is scored (word similarity to the query as typed, or 1 for a phone match) and the best n
/// returned. The statement runs on the tenant's connection, so row-level security applies to every part.
/// </summary>
/// <param name="Kind">lead, contact, account or opportunity: the CTE prefix and the kind column of the result.</param>
/// <param name="PrefixKeys">Generated, indexed prefix key columns (migration 0007).</param>
/// <param name="Phones">The column matched by phone digits (a trigram-indexed text), or null.</param>
public sealed record SearchPlan(string Kind, string Table, string Title, string Subtitle, IReadOnlyList<string> PrefixKeys, string? Phones)
{
    // Parameters of the whole statement: $1 the query in lower case, whitespace collapsed; $2 its digits when there are
    // at least four, else ''; $3 the agent's id (or null: every record the role may see); $4 the limit per entity;
    // $5 whether the similarity stage may run at all (the query has three letters or more); $6, $7... the corrected
    // spellings of the query. Every value is a parameter: the SQL text depends only on the entities and the number of
    // corrections, so each of the few texts is prepared once per connection.
    private const string Owner = "($3::uuid is null or owner_id = $3)";
    public const int FirstCorrectionParameter = 6;

    /// <summary>
    /// The similarity stage ranks at most this many matches: a fragment common to many records ("health") would
    /// otherwise have every one of them fetched and scored. Bounds the slowest path at the cost of the very best
    /// match among thousands.
    /// </summary>
    public const int MaxSimilarCandidates = 500;

    private string PhoneMatch => Phones is null ? "false" : $"($2 <> '' and {Phones} like '%' || $2 || '%')";

    // The statement is prepared and runs with a generic plan (planning it per query took longer than running it), so
    // the prefix is written as the b-tree range it implies: PostgreSQL derives that range from ^@ only for a constant.
    // chr(1114111) is the highest code point, so the range holds every key that starts with the prefix; ^@ keeps it exact.
    private IEnumerable<string> PrefixProbes(string pattern) => PrefixKeys.Select(key =>
        $"(select id from {Table} where {key} >= {pattern} and {key} < {pattern} || chr(1114111) and {key} ^@ {pattern} and {Owner} order by {key} limit $4)");

    private string Stages(int corrections)
    {
        var found = PrefixProbes("$1").ToList();
        if (Phones is not null) found.Add($"(select id from {Table} where {PhoneMatch} and {Owner} limit $4)");
        var corrected = Enumerable.Range(FirstCorrectionParameter, corrections).SelectMany(p => PrefixProbes($"${p}")).ToList();
        var correctedCte = corrected.Count == 0
            ? $"{Kind}_corrected as (select null::uuid as id where false)"
            : $"""
              {Kind}_corrected as (
                select id from (
                  {string.Join("\n    union all\n    ", corrected)}
                ) c where not exists (select 1 from {Kind}_found)
              )
              """;
        return $"""
            {Kind}_found as (
              {string.Join("\n  union all\n  ", found)}
            ),
            {correctedCte},
            {Kind}_similar as (
              select id from (
                select id, search_text from {Table}
                where $5 and not exists (select 1 from {Kind}_found) and not exists (select 1 from {Kind}_corrected)
                  and search_text %> $1 and {Owner}
                limit {MaxSimilarCandidates}
              ) s
              order by word_similarity($1, search_text) desc, id limit $4
            )
            """;
    }

    private string Ranked() => $"""
        (select '{Kind}' as kind, id, {Title} as title, {Subtitle} as subtitle,
                greatest(word_similarity($1, search_text), case when {PhoneMatch} then 1 else 0 end)::float8 as score
         from {Table}
         where id in (select id from {Kind}_found union select id from {Kind}_corrected union select id from {Kind}_similar)
         order by score desc, id limit $4)
        """;

    /// <summary>One statement for the given entities; its rows are (kind, id, title, subtitle, score), best first per kind.</summary>
    public static string Sql(IReadOnlyList<SearchPlan> plans, int corrections) =>
        "with " + string.Join(",\n", plans.Select(p => p.Stages(corrections))) + "\n"
        + string.Join("\nunion all\n", plans.Select(p => p.Ranked()));
}
