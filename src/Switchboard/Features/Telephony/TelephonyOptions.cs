namespace Switchboard.Features.Telephony;

public sealed class TelephonyOptions : IValidatedOptions
{
    public const string Section = "Telephony";

    /// <summary>The address providers reach us at (see <see cref="PublicUrls"/>); unset, the server's own address.</summary>
    public string? PublicBaseUrl { get; set; }

    public IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(PublicBaseUrl)) yield break;
        if (!Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || url.Query.Length > 0 || url.Fragment.Length > 0)
            yield return $"Telephony:PublicBaseUrl must be an absolute http or https URL without query (e.g. https://crm.example.com); got '{PublicBaseUrl}'.";
    }
}
