using Berth.Api.Errors;
using Berth.Core.Accounts;

namespace Berth.Api.Auth;

/// <summary>Marks endpoints of the authenticated API, whose calls are checked against the caller's role.</summary>
public sealed class ApiEndpointMetadata;

/// <summary>Refuses, after routing has found the endpoint, calls that the caller's role does not allow.</summary>
public static class RoleMiddleware
{
    public static IApplicationBuilder UseRoles(this IApplicationBuilder app) =>
        app.Use(async (httpContext, next) =>
        {
            var endpoint = httpContext.GetEndpoint();
            if (endpoint?.Metadata.GetMetadata<ApiEndpointMetadata>() is null)
            {
                await next(httpContext);
                return;
            }

            var caller = httpContext.GetCaller();
            var method = httpContext.Request.Method;
            if (!caller.Role.Allows(method))
            {
                await ErrorWriter.WriteAsync(
                    httpContext, 403,
                    $"A token with the {caller.Role.ToWire()} role cannot call {method} on this route; " +
                    "readers may only GET, members may do everything but DELETE.");
                return;
            }

            await next(httpContext);
        });
}
