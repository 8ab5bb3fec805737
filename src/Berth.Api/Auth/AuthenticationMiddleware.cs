using Berth.Api.Errors;

namespace Berth.Api.Auth;

/// <summary>Requires a valid bearer token on every route but the public ones, before routing.</summary>
/// <remarks>
/// It runs before routing on purpose: the contract puts authentication (401) ahead of unknown
/// routes and wrong methods (404, 405), so an unauthenticated client learns nothing of the routes.
/// </remarks>
public static class AuthenticationMiddleware
{
    private static readonly string[] PublicPrefixes = ["/healthz", "/docs", "/openapi", "/scalar"];

    public static IApplicationBuilder UseBearerTokens(this IApplicationBuilder app) =>
        app.Use(async (httpContext, next) =>
        {
            if (IsPublic(httpContext.Request.Path))
            {
                await next(httpContext);
                return;
            }

            var failure = await AuthenticateAsync(httpContext);
            if (failure is not null)
            {
                await ErrorWriter.WriteAsync(httpContext, 401, failure);
                return;
            }

            await next(httpContext);
        });

    private static bool IsPublic(PathString path) =>
        PublicPrefixes.Any(prefix => path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase));

    private static async Task<string?> AuthenticateAsync(HttpContext httpContext)
    {
        var headers = httpContext.Request.Headers;
        var authorization = headers.Authorization.ToString();
        if (authorization.Length == 0)
        {
            return headers.ContainsKey("x-api-key")
                ? "The x-api-key header is not accepted; send the token as 'Authorization: Bearer pt-...'."
                : "Missing Authorization header; send 'Authorization: Bearer pt-...'.";
        }

        const string scheme = "Bearer ";
        if (!authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return "The Authorization header must use the Bearer scheme: 'Authorization: Bearer pt-...'.";
        }

        var validator = httpContext.RequestServices.GetRequiredService<TokenValidator>();
        var caller = await validator.ValidateAsync(authorization[scheme.Length..].Trim(), httpContext.RequestAborted);
        if (caller is null)
        {
            return "The token is malformed, unknown, revoked or expired.";
        }

        httpContext.Features.Set(caller);

        return null;
    }
}
