using System.Collections.Concurrent;
using Berth.Core.Accounts;
using Berth.Storage;

namespace Berth.Api.Auth;

/// <summary>Turns a bearer secret into a caller, caching recent look-ups.</summary>
/// <remarks>
/// Every request needs this, so valid tokens are remembered for a few seconds. A token revoked
/// by another process (the CLI writes the store directly) therefore stops working within
/// <see cref="CacheLifetime"/>; revocations through this process take effect at once.
/// </remarks>
public sealed class TokenValidator(TokenStore tokens, TimeProvider time)
{
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, (AccessToken Token, DateTimeOffset CachedAt)> _cache = new();

    public async Task<Caller?> ValidateAsync(string secret, CancellationToken cancellationToken)
    {
        if (!AccessToken.IsWellFormed(secret))
        {
            return null;
        }

        var hash = AccessToken.Hash(secret);
        var key = Convert.ToBase64String(hash);
        var now = time.GetUtcNow();
        if (!_cache.TryGetValue(key, out var entry) || now - entry.CachedAt > CacheLifetime)
        {
            var token = await tokens.FindByHashAsync(hash, cancellationToken);
            if (token is null)
            {
                _cache.TryRemove(key, out _);
                return null;
            }

            entry = (token, now);
            _cache[key] = entry;
        }

        return entry.Token.IsActive(now) ? new Caller(entry.Token.Account, entry.Token.Role, entry.Token.Id) : null;
    }

    /// <summary>Forgets every cached token, so that the next request reads the store.</summary>
    public void Forget() => _cache.Clear();
}
