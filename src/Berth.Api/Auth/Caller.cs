using Berth.Core.Accounts;

namespace Berth.Api.Auth;

/// <summary>Who is calling: the account and role of the token that authenticated the request.</summary>
public sealed record Caller(string Account, Role Role, string TokenId);

/// <summary>Reads the caller that authentication attached to the request.</summary>
public static class CallerAccess
{
    public static Caller GetCaller(this HttpContext httpContext) =>
        httpContext?.Features.Get<Caller>()
        ?? throw new InvalidOperationException("No caller on this request: the route was mapped outside the authenticated API group.");
}
