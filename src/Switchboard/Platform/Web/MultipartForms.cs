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

    /// <summary>
    /// The bytes of the file in part <paramref name="fileField"/> (at most <paramref name="maxBytes"/>), with the form's
    /// other parts; or the problem to answer with when the body, the part or its size is wrong.
    /// </summary>
    public static async Task<(ReadOnlyMemory<byte> File, IFormCollection? Form, IResult? Problem)> ReadFileAsync(
        HttpRequest request, string fileField, long maxBytes, CancellationToken ct)
    {
        var (form, problem) = await ReadAsync(request, fileField, ct);
        if (form is null) return (default, null, problem);
        if (form.Files.GetFile(fileField) is not { Length: > 0 } file)
            return (default, null, Problems.Invalid(fileField, $"Attach a CSV file in a part named '{fileField}'."));
        if (file.Length > maxBytes) return (default, null, Problems.Invalid(fileField, $"The file is larger than {maxBytes / 1024 / 1024} MB."));
        using var buffer = new MemoryStream((int)file.Length);
        await file.CopyToAsync(buffer, ct);
        return (buffer.GetBuffer().AsMemory(0, (int)buffer.Length), form, null);
    }
}
