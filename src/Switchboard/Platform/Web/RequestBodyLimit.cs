using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace Switchboard.Platform.Web;

/// <summary>API bodies are capped at 1 MB unless an endpoint declares a larger limit (imports).</summary>
public sealed class RequestBodyLimitMiddleware(RequestDelegate next)
{
    public const long DefaultApiLimit = 1024 * 1024;

    public async Task InvokeAsync(HttpContext http)
    {
        if (ApiPaths.IsMachine(http.Request.Path))
        {
            var limit = http.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? DefaultApiLimit;
            if (http.Request.ContentLength > limit)
            {
                await Problems.Write(http, 413, "Payload too large", $"The request body must be at most {limit / 1024} KB.");
                return;
            }
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
                feature.MaxRequestBodySize = limit;
        }
        await next(http);
    }
}
