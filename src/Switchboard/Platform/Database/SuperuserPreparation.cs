namespace Switchboard.Platform.Database;

/// <summary>
/// The one-time SQL a PostgreSQL superuser runs in Switchboard's database, beyond creating it and its roles:
/// the embedded cluster runs it when it creates a database, and README ("Preparing the database") lists it for
/// other setups. ADR 0009 explains why.
/// <para>
/// Under row-level security PostgreSQL lets a condition drive an index scan only if its functions are
/// LEAKPROOF; otherwise it filters every row of the tenant first. Trigram similarity (global search) and
/// LIKE/ILIKE (list search, phone digits) are not marked so by default, which turns a 1,000,000-lead search from
/// milliseconds into seconds. None of them can raise an error or reveal anything about a row beyond its result.
/// </para>
/// </summary>
public static class SuperuserPreparation
{
    public const string Sql = """
        create extension if not exists pg_trgm;
        alter function word_similarity_commutator_op(text, text) leakproof;
        alter function textlike(text, text) leakproof;
        alter function texticlike(text, text) leakproof;
        """;

    /// <summary>True when the database has had <see cref="Sql"/> run (the functions exist and are leakproof).</summary>
    public const string CheckSql = """
        select count(*) = 3 from pg_proc
        where proleakproof and proname in ('word_similarity_commutator_op', 'textlike', 'texticlike')
        """;
}
