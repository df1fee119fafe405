namespace Switchboard.Features.Telephony;

public enum TelephonyFailure
{
    /// <summary>The provider refused the request (bad number, unverified caller id, ...). Retrying will not help.</summary>
    Rejected,
    AuthenticationFailed,
    RateLimited,
    /// <summary>The provider failed on a request that is safe to repeat; retries were used up.</summary>
    ProviderError,
    /// <summary>No connection could be made, so nothing reached the provider.</summary>
    Unreachable,
    /// <summary>A call-creating request may or may not have placed a call. Reconcile from status callbacks; do not blindly re-dial.</summary>
    OutcomeUnknown,
}

/// <summary>A failed provider request, with the provider's own error code and help link when it sent them.</summary>
public sealed class TelephonyApiException(string message, TelephonyFailure failure, int? httpStatus = null, int? providerCode = null, string? moreInfo = null, Exception? inner = null)
    : Exception(message, inner)
{
    public TelephonyFailure Failure { get; } = failure;
    public int? HttpStatus { get; } = httpStatus;
    public int? ProviderCode { get; } = providerCode;
    public string? MoreInfo { get; } = moreInfo;
}
