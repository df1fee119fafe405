namespace Switchboard.Platform.Protection;

/// <summary>
/// The RateLimit-Policy and RateLimit header fields of draft-ietf-httpapi-ratelimit-headers-10 (structured-field lists):
/// <c>RateLimit-Policy: "user";q=50;w=5, "tenant";q=500;w=5</c> and <c>RateLimit: "user";r=41;t=1, "tenant";r=480;t=1</c>.
/// A token bucket read as a quota: q is its size (the burst), w the seconds an empty bucket takes to fill, r the tokens
/// left after this request and t the seconds until the bucket is full again.
/// </summary>
public static class RateLimitHeaders
{
    public const string Policy = "RateLimit-Policy";
    public const string Current = "RateLimit";

    public static void Write(HttpResponse response, IReadOnlyList<RateLimitState> states)
    {
        if (states.Count == 0) return;
        response.Headers[Policy] = string.Join(", ", states.Select(s => $"\"{s.Policy}\";q={s.Bucket.Burst};w={s.Bucket.WindowSeconds}"));
        response.Headers[Current] = string.Join(", ", states.Select(s => $"\"{s.Policy}\";r={Math.Max(0, s.Remaining)};t={SecondsToFull(s)}"));
    }

    private static long SecondsToFull(RateLimitState s) =>
        (long)Math.Ceiling(Math.Max(0, s.Bucket.Burst - s.Remaining) / (double)s.Bucket.PerSecond);
}
