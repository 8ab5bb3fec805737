using Berth.Core.Accounts;
using Berth.Core.Ids;
using Berth.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Berth.Storage;

/// <summary>Personal access tokens, kept as hashes.</summary>
public sealed class TokenStore(SqliteDatabase database, TimeProvider time)
{
    private const string Columns = "id, account, role, name, created_at, expires_at, revoked_at";

    /// <summary>Stores a new token and returns it with its secret, which is never stored or shown again.</summary>
    public async Task<(AccessToken Token, string Secret)> CreateAsync(
        string account, Role role, string name, DateTimeOffset? expiresAt, CancellationToken cancellationToken)
    {
        var secret = AccessToken.NewSecret();
        var token = new AccessToken(
            IdGenerator.Shared.Next(IdPrefixes.Token), account, role, name,
            Core.Timestamps.TruncateToMicroseconds(time.GetUtcNow()), expiresAt, null);

        await database.WriteAsync(async connection =>
        {
            var insert = connection.Command(
                """
                INSERT INTO tokens (id, account, role, name, hash, created_at, expires_at)
                VALUES ($id, $account, $role, $name, $hash, $created, $expires)
                """)
                .With("$id", token.Id).With("$account", account).With("$role", role.ToWire())
                .With("$name", name).With("$hash", AccessToken.Hash(secret))
                .With("$created", token.CreatedAt).With("$expires", expiresAt);
            return await insert.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

        return (token, secret);
    }

    /// <summary>The token whose secret hashes to <paramref name="hash"/>, active or not.</summary>
    public Task<AccessToken?> FindByHashAsync(byte[] hash, CancellationToken cancellationToken) =>
        database.ReadAsync(async connection =>
        {
            var command = connection.Command($"SELECT {Columns}, hash FROM tokens WHERE hash = $hash").With("$hash", hash);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            // The index found the row; comparing again in constant time keeps the final decision
            // free of timing differences that depend on the secret.
            var stored = (byte[])reader.GetValue(7);
            return System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(stored, hash)
                ? Read(reader)
                : null;
        }, cancellationToken);

    public Task<IReadOnlyList<AccessToken>> ListAsync(string? account, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<AccessToken>>(async connection =>
        {
            var command = connection.Command(
                $"SELECT {Columns} FROM tokens WHERE $account IS NULL OR account = $account ORDER BY id")
                .With("$account", account);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var tokens = new List<AccessToken>();
            while (await reader.ReadAsync(cancellationToken))
            {
                tokens.Add(Read(reader));
            }

            return tokens;
        }, cancellationToken);

    public Task<bool> AnyAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(async connection =>
        {
            var command = connection.Command("SELECT EXISTS (SELECT 1 FROM tokens)");

            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) == 1;
        }, cancellationToken);

    /// <summary>Revokes the token with this id, or the one token with this name; false when none matches.</summary>
    public Task<bool> RevokeAsync(string idOrName, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            var update = connection.Command(
                """
                UPDATE tokens SET revoked_at = $now
                WHERE revoked_at IS NULL AND (id = $key OR (name = $key AND (SELECT COUNT(*) FROM tokens WHERE name = $key) = 1))
                """)
                .With("$now", Core.Timestamps.TruncateToMicroseconds(time.GetUtcNow())).With("$key", idOrName);
            return await update.ExecuteNonQueryAsync(cancellationToken) > 0;
        }, cancellationToken);

    private static AccessToken Read(SqliteDataReader reader)
    {
        return new AccessToken(
            reader.GetString(0), reader.GetString(1), Roles.FromWire(reader.GetString(2)), reader.GetString(3),
            reader.ReadTime(4), reader.ReadOptionalTime(5), reader.ReadOptionalTime(6));
    }
}
