using Berth.Storage.Sqlite;

namespace Berth.Storage;

/// <summary>A successful response kept so that a retried request gets it again.</summary>
public sealed record IdempotencyRecord(byte[] Fingerprint, int Status, byte[] Body, string? Location, DateTimeOffset CreatedAt);

/// <summary>Responses stored under idempotency keys, per account.</summary>
public sealed class IdempotencyStore(SqliteDatabase database, TimeProvider time)
{
    /// <summary>How long a key is remembered.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    public Task<IdempotencyRecord?> FindAsync(string account, string key, CancellationToken cancellationToken) =>
        database.ReadAsync(async connection =>
        {
            var command = connection.Command(
                """
                SELECT fingerprint, status, body, location, created_at FROM idempotency_records
                WHERE account = $account AND key = $key AND created_at >= $since
                """)
                .With("$account", account).With("$key", key).With("$since", time.GetUtcNow() - Retention);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            return new IdempotencyRecord(
                (byte[])reader.GetValue(0), reader.GetInt32(1), (byte[])reader.GetValue(2),
                reader.ReadOptionalString(3), reader.ReadTime(4));
        }, cancellationToken);

    public Task SaveAsync(string account, string key, IdempotencyRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);

        return database.WriteAsync(async connection =>
        {
            // Expired keys are cleared on the way, so the table never outgrows a day of writes.
            var prune = connection.Command(
                "DELETE FROM idempotency_records WHERE created_at < $since")
                .With("$since", time.GetUtcNow() - Retention);
            await prune.ExecuteNonQueryAsync(cancellationToken);

            var upsert = connection.Command(
                """
                INSERT OR REPLACE INTO idempotency_records (account, key, fingerprint, status, body, location, created_at)
                VALUES ($account, $key, $fingerprint, $status, $body, $location, $created)
                """)
                .With("$account", account).With("$key", key).With("$fingerprint", record.Fingerprint)
                .With("$status", record.Status).With("$body", record.Body)
                .With("$location", record.Location).With("$created", record.CreatedAt);
            return await upsert.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
    }
}
