namespace Berth.Api.Http;

/// <summary>Gives every request an id: the client's <c>x-request-id</c> when usable, else a new UUID.</summary>
public static class RequestIds
{
    public const string Header = "x-request-id";
    private const int MaxLength = 128;
    private static readonly object Key = new();

    public static string GetRequestId(this HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (httpContext.Items.TryGetValue(Key, out var value) && value is string id)
        {
            return id;
        }

        id = Choose(httpContext.Request.Headers[Header].ToString());
        httpContext.Items[Key] = id;

        return id;
    }

    public static IApplicationBuilder UseRequestIds(this IApplicationBuilder app) =>
        app.Use((httpContext, next) =>
        {
            var id = httpContext.GetRequestId();
            httpContext.Response.Headers[Header] = id;

            // The Anthropic SDKs read the id from `request-id`, so it is sent under both names.
            httpContext.Response.Headers["request-id"] = id;
            httpContext.TraceIdentifier = id;

            return next(httpContext);
        });

    private static string Choose(string candidate) =>
        candidate.Length is > 0 and <= MaxLength && candidate.All(c => c is >= ' ' and <= '~')
            ? candidate
            : Guid.NewGuid().ToString();
}
