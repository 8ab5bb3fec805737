using System.Security.Cryptography;
using System.Text;

namespace Berth.Core.Accounts;

/// <summary>A personal access token as stored: everything but the secret, which is kept only as a hash.</summary>
public sealed record AccessToken(
    string Id,
    string Account,
    Role Role,
    string Name,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt)
{
    public const string Prefix = "pt-";

    public bool IsActive(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);

    /// <summary>A new secret: the prefix and 256 random bits in URL-safe base64.</summary>
    public static string NewSecret() =>
        Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Whether the text has the token shape: the prefix, then only <c>[A-Za-z0-9_-]</c>.</summary>
    public static bool IsWellFormed(string secret) =>
        secret.Length is > 3 and <= 512
        && secret.StartsWith(Prefix, StringComparison.Ordinal)
        && !secret.AsSpan(Prefix.Length).ContainsAnyExcept(SecretCharacters);

    /// <summary>
    /// SHA-256 is enough here: secrets carry 256 random bits, so there is nothing for a slow
    /// password hash to protect against, and a fast hash keeps every request cheap.
    /// </summary>
    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    private static readonly System.Buffers.SearchValues<char> SecretCharacters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-");
}
