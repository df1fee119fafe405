using System.Diagnostics;

namespace Switchboard.Platform.Observability;

/// <summary>
/// Puts the request's tenant, user and request id on its trace (tags of ASP.NET Core's request activity) and on every
/// log line written while it runs (a logging scope; the JSON console writes scopes, next to the host's own TraceId,
/// SpanId and RequestId). Runs right after the tenant is resolved, so it knows who is calling.
/// </summary>
public sealed class RequestIdentity(RequestDelegate next, ILogger<RequestIdentity> logger)
{
    public const string TenantTag = "switchboard.tenant_id";
    public const string UserTag = "switchboard.user_id";
    public const string RequestTag = "switchboard.request_id";

    public async Task InvokeAsync(HttpContext http, TenantContext tenant)
    {
        var tenantId = tenant.TenantId?.ToString();
        var userId = tenant.UserId?.ToString();
        if (Activity.Current is { } activity)
        {
            activity.SetTag(RequestTag, http.TraceIdentifier);
            if (tenantId is not null) activity.SetTag(TenantTag, tenantId);
            if (userId is not null) activity.SetTag(UserTag, userId);
        }
        if (tenantId is null && userId is null)
        {
            await next(http);
            return;
        }
        using (logger.BeginScope(new CallerScope(tenantId, userId)))
            await next(http);
    }

    /// <summary>A logging scope the JSON console writes as two properties (and the simple one as one short text).</summary>
    private sealed class CallerScope(string? tenantId, string? userId) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        private readonly KeyValuePair<string, object?>[] _values = [new("TenantId", tenantId), new("UserId", userId)];

        public KeyValuePair<string, object?> this[int index] => _values[index];
        public int Count => _values.Length;
        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_values).GetEnumerator();
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
        public override string ToString() => $"TenantId:{tenantId} UserId:{userId}";
    }
}
