namespace Berth.Api.Http;

/// <summary>Serves every <c>/v1</c> route under <c>/api/v1/cloud</c> too, by rewriting the path before routing.</summary>
public static class PrefixAlias
{
    private const string Alias = "/api/v1/cloud";

    public static IApplicationBuilder UseCloudPrefixAlias(this IApplicationBuilder app) =>
        app.Use((httpContext, next) =>
        {
            var path = httpContext.Request.Path;
            if (path.StartsWithSegments(Alias, StringComparison.Ordinal, out var rest))
            {
                httpContext.Request.Path = "/v1" + rest;
            }

            return next(httpContext);
        });
}
