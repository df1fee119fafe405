namespace Switchboard.Features.Telephony.Providers.Twilio;

/// <summary>
/// Verifies a callback signed the way Twilio signs (also SignalWire's compatibility API and the Simulator): a form
/// POST signed over the URL and sorted fields, or a JSON body whose SHA-256 is in the signed URL.
/// </summary>
public static class TwilioWebhookCheck
{
    public static async Task<WebhookCheck> VerifyAsync(HttpRequest request, string url, string? key, string? signature, CancellationToken ct)
    {
        if (key is null) return new WebhookCheck.NotConfigured();
        if (request.HasFormContentType)
        {
            var form = TwilioSignature.Pairs(await request.ReadFormAsync(ct)).ToList();
            return TwilioSignature.IsValid(key, url, form, signature) ? new WebhookCheck.Valid(form) : Invalid(signature);
        }
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct);
        return TwilioSignature.IsValidJson(key, url, buffer.ToArray(), signature) ? new WebhookCheck.Valid([]) : Invalid(signature);
    }

    private static WebhookCheck.Invalid Invalid(string? signature) => new(!string.IsNullOrEmpty(signature));
}
