namespace Switchboard.Platform.Identity;

/// <summary>
/// The blocklist part of the password policy, by zxcvbn (the <c>zxcvbn-core</c> package, ADR 0042): it matches a password
/// against its frequency lists of common passwords, names and words (also reversed, in l33t speak, with keyboard patterns,
/// dates and repeats) and against the context words given, and estimates how many guesses it would take. A password
/// below score 3 (about 10^8 guesses and fewer) is one an attacker tries early: it is refused, whatever its length.
/// </summary>
public static class PasswordStrength
{
    public const int MinimumScore = 3;

    /// <summary>Only so much is judged: beyond it a password is long enough that its start alone decides (and zxcvbn's work grows with length).</summary>
    public const int JudgedLength = 100;

    public const string Guessable =
        "This password is too easy to guess: it is a common password or made of common words, names or patterns. A phrase of unrelated words works well.";
    public const string Personal =
        "This password is built from your name, your email address or your workspace's name. Choose one that has nothing to do with them.";

    // Building the matchers reads the frequency lists (~20 ms); one instance serves every request, one at a time.
    private static readonly Zxcvbn.Zxcvbn Estimator = new();
    private static readonly Lock Gate = new();

    /// <summary>Null when the password is hard enough to guess; else what is wrong with it, in words for the person choosing it.</summary>
    public static string? Problem(string password, IEnumerable<string> contextWords)
    {
        var judged = password.Length > JudgedLength ? password[..JudgedLength] : password;
        var words = contextWords.ToList();
        Zxcvbn.Result result;
        lock (Gate) result = Estimator.EvaluatePassword(judged, words);
        if (result.Score >= MinimumScore) return null;
        var personal = result.MatchSequence.OfType<Zxcvbn.Matcher.DictionaryMatch>().Any(m => m.DictionaryName == "user_inputs");
        return personal ? Personal : Guessable;
    }
}
