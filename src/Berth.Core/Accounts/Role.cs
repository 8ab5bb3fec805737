namespace Berth.Core.Accounts;

/// <summary>What a token may do within its account.</summary>
public enum Role
{
    /// <summary>GET only.</summary>
    Reader,

    /// <summary>Everything but DELETE.</summary>
    Member,

    /// <summary>Everything.</summary>
    Admin,
}

/// <summary>The role rules of the API, by HTTP method.</summary>
public static class Roles
{
    public static bool Allows(this Role role, string httpMethod) => role switch
    {
        Role.Admin => true,
        Role.Member => !HttpMethods.IsDelete(httpMethod),
        _ => HttpMethods.IsGet(httpMethod) || HttpMethods.IsHead(httpMethod),
    };

    public static string ToWire(this Role role) => role switch
    {
        Role.Admin => "admin",
        Role.Member => "member",
        _ => "reader",
    };

    public static Role FromWire(string text) => TryParse(text, out var role)
        ? role
        : throw new ArgumentException($"'{text}' is not a role; roles are admin, member and reader.", nameof(text));

    public static bool TryParse(string? text, out Role role)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "admin": role = Role.Admin; return true;
            case "member": role = Role.Member; return true;
            case "reader": role = Role.Reader; return true;
            default: role = Role.Reader; return false;
        }
    }

    private static class HttpMethods
    {
        public static bool IsGet(string method) => string.Equals(method, "GET", StringComparison.OrdinalIgnoreCase);

        public static bool IsHead(string method) => string.Equals(method, "HEAD", StringComparison.OrdinalIgnoreCase);

        public static bool IsDelete(string method) => string.Equals(method, "DELETE", StringComparison.OrdinalIgnoreCase);
    }
}
