using BankClientele.Hosting.Database;
using Npgsql;

namespace BankClientele.CustomerCare.Feed;

/// <summary>
/// Writes events into the outbox set-based, from SQL, in the caller's transaction: one
/// <c>INSERT INTO outbox_messages SELECT ...</c> per kind of event instead of a row at a time.
/// Ids are UUID v7 as the relay expects (it publishes in id order): the timestamp of this batch,
/// then a counter in place of the random bits, so a batch's events are published in the order written.
/// </summary>
public sealed class SqlOutbox(NpgsqlConnection connection, NpgsqlTransaction transaction)
{
    private readonly long milliseconds = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
    private long sequence;

    /// <summary>Events written so far.</summary>
    public int Written { get; private set; }

    /// <summary>
    /// Inserts one event per row of <paramref name="eventsSql"/>, a SELECT with the columns
    /// <c>body</c> (jsonb, the contract in camelCase) and <c>sort</c> (the order to publish in).
    /// </summary>
    public async Task<int> InsertAsync<TMessage>(string eventsSql, CancellationToken ct, params NpgsqlParameter[] parameters)
    {
        var sql = $"""
            INSERT INTO outbox_messages (id, message_type, body, created_at, attempts)
            SELECT (lpad(to_hex(@outbox_ms), 12, '0') || '7000' || '8' ||
                    lpad(to_hex(@outbox_seq + row_number() OVER (ORDER BY e.sort)), 15, '0'))::uuid,
                   @outbox_type, e.body, now(), 0
            FROM ({eventsSql}) AS e
            """;
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.AddWithValue("outbox_ms", milliseconds);
        command.Parameters.AddWithValue("outbox_seq", sequence);
        command.Parameters.AddWithValue("outbox_type", typeof(TMessage).FullName!);
        command.Parameters.AddRange(parameters);
        command.CommandTimeout = 0;
        var inserted = await command.ExecuteNonQueryAsync(ct);
        sequence += inserted;
        Written += inserted;
        return inserted;
    }

    /// <summary>Wakes the relay; Postgres delivers the notification only when the transaction commits.</summary>
    public async Task NotifyAsync(CancellationToken ct)
    {
        if (Written > 0)
        {
            await using var notify = new NpgsqlCommand($"NOTIFY {ServiceDbContext.OutboxChannel}", connection, transaction);
            await notify.ExecuteNonQueryAsync(ct);
        }
    }
}
