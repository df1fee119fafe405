using Microsoft.AspNetCore.Http.Features;

namespace Switchboard.Platform.Web;

/// <summary>
/// Reads an upload endpoint's multipart body, turning what a client can get wrong — no multipart content type, a
/// content type without a boundary, a body cut short or malformed — into the 400 problem of the file field,
/// never an exception. Endpoints take <see cref="HttpRequest"/> and call <see cref="ReadAsync"/> first.
/// </summary>
public static class MultipartForms
{
    /// <summary>The form, or the problem to answer with (errors under <paramref name="fileField"/>).</summary>
    public static async Task<(IFormCollection? Form, IResult? Problem)> ReadAsync(
        HttpRequest request, string fileField, CancellationToken ct, long? bodyLengthLimit = null)
    {
        if (!request.HasFormContentType || !request.ContentType!.Contains("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            return (null, Problems.Invalid(fileField, $"Send multipart/form-data with the file in a part named '{fileField}'."));
        if (bodyLengthLimit is { } limit)
            request.HttpContext.Features.Set<IFormFeature>(new FormFeature(request, new FormOptions { MultipartBodyLengthLimit = limit }));
        try
        {
            return (await request.ReadFormAsync(ct), null);
        }
        // A missing boundary or a malformed part (InvalidDataException), a body that ends before its closing boundary
        // (IOException "Unexpected end of Stream"); a client that hung up is not answered at all.
        catch (Exception e) when (e is InvalidDataException || (e is IOException && !ct.IsCancellationRequested && !request.HttpContext.RequestAborted.IsCancellationRequested))
        {
            return (null, Problems.Invalid(fileField, "The multipart body cannot be read: it has no boundary, is cut short or is malformed."));
        }
    }
}
