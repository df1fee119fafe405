using Npgsql;

namespace Switchboard.Features.Search;

/// <summary>
/// Corrects the misspelt words of a search query against the tenant's <c>search_terms</c> (the distinct words of
/// names and companies, migration 0007): a few tens of thousands of short words at a million leads, so a trigram
/// lookup per word takes about a millisecond, where trigram ranking over every record took seconds (ADR 0011).
/// Trigrams propose candidates; the edit distance (transpositions count once, as typing errors do) chooses.
/// </summary>
public static class SpellingCorrector
{
    /// <summary>How many corrected spellings of one query are tried (each costs one prefix probe per key).</summary>
    public const int MaxSpellings = 3;

    private const int CandidatesPerWord = 10;

    /// <summary>
    /// Candidate terms: the query words themselves; the known words one edit away from a short one (exact look-ups:
    /// trigrams miss "jonh" → "john", which share two of five); and the words trigram-similar to a longer one (one
    /// slip leaves most of its trigrams). Needs pg_trgm.word_similarity_threshold set in the transaction
    /// (<see cref="GlobalSearch.CorrectionThreshold"/>).
    /// </summary>
    private static readonly string Sql = $"""
        select t.term from unnest($1::text[]) w,
             lateral (select term from search_terms where term %> w order by similarity(w, term) desc, term limit {CandidatesPerWord}) t
        union
        select term from search_terms where term = any($2::text[])
        """;

    /// <summary>Words up to this long get their one-edit variants looked up; longer ones only trigram candidates.</summary>
    private const int MaxLengthForEdits = 7;

    /// <summary>Words at least this long get trigram candidates (shorter ones have too few trigrams to survive a slip).</summary>
    private const int MinLengthForTrigrams = 6;

    /// <summary>The query's other likely spellings, most likely first; empty when every word is known or unfixable.</summary>
    public static async Task<IReadOnlyList<string>> CorrectAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string normalizedQuery, bool prepare, CancellationToken ct)
    {
        var words = normalizedQuery.Split(' ');
        var correctable = words.Where(IsCorrectable).Distinct().ToArray();
        if (correctable.Length == 0) return [];

        var known = new HashSet<string>();
        var trigramWords = correctable.Where(w => w.Length >= MinLengthForTrigrams).ToArray();
        var edits = correctable.Concat(correctable.Where(w => w.Length <= MaxLengthForEdits).SelectMany(OneEditAway)).Distinct().ToArray();
        await using (var cmd = new NpgsqlCommand(Sql, conn, tx)
                     {
                         Parameters = { new NpgsqlParameter { Value = trigramWords }, new NpgsqlParameter { Value = edits } },
                     })
        {
            if (prepare) await cmd.PrepareAsync(ct);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) known.Add(reader.GetString(0));
        }

        // Each word: itself if it is a known term or nothing known is close; else its closest known terms.
        var options = words.Select(List<(string Term, int Distance)> (word) =>
        {
            if (!IsCorrectable(word) || known.Contains(word)) return [(word, 0)];
            var close = known
                .Select(term => (Term: term, Distance: EditDistance(word, term)))
                .Where(c => c.Distance <= MaxDistance(word))
                .OrderBy(c => c.Distance).ThenByDescending(c => SameLetters(word, c.Term)).ThenBy(c => c.Term, StringComparer.Ordinal)
                .Take(MaxSpellings)
                .ToList();
            return close.Count == 0 ? [(word, 0)] : close;
        }).ToList();

        var spellings = new List<(string Text, int Distance)> { ("", 0) };
        foreach (var option in options)
            spellings = spellings.SelectMany(s => option.Select(o => (Text: s.Text.Length == 0 ? o.Term : s.Text + " " + o.Term, Distance: s.Distance + o.Distance)))
                .OrderBy(s => s.Distance).Take(MaxSpellings * 2).ToList();
        return spellings.Where(s => s.Text != normalizedQuery).OrderBy(s => s.Distance).Take(MaxSpellings).Select(s => s.Text).ToList();
    }

    /// <summary>Every string one deletion, adjacent transposition, substitution or insertion (a–z) away.</summary>
    private static IEnumerable<string> OneEditAway(string word)
    {
        const string letters = "abcdefghijklmnopqrstuvwxyz";
        for (var i = 0; i < word.Length; i++)
        {
            yield return word.Remove(i, 1);
            if (i + 1 < word.Length) yield return string.Concat(word.AsSpan(0, i), word[i + 1].ToString(), word[i].ToString(), word.AsSpan(i + 2));
            foreach (var c in letters)
                if (c != word[i]) yield return string.Concat(word.AsSpan(0, i), c.ToString(), word.AsSpan(i + 1));
        }
        for (var i = 0; i <= word.Length; i++)
            foreach (var c in letters) yield return word.Insert(i, c.ToString());
    }

    /// <summary>Letters only, at least three: names and company words, not emails, numbers or initials.</summary>
    private static bool IsCorrectable(string word) => word.Length >= 3 && word.All(char.IsLetter);

    /// <summary>One typo in a short word, two in a longer one.</summary>
    private static int MaxDistance(string word) => word.Length <= 5 ? 1 : 2;

    /// <summary>Same letters in another order: a transposition ("jonh" → "john"), the commonest typing slip.</summary>
    private static bool SameLetters(string a, string b) => a.Length == b.Length && a.Order().SequenceEqual(b.Order());

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions.</summary>
    public static int EditDistance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        for (var j = 1; j <= b.Length; j++)
        {
            var cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
        }
        return d[a.Length, b.Length];
    }
}
