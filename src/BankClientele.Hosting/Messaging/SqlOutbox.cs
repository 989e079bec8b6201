using System.Buffers.Binary;
using System.Text.Json;
using BankClientele.Hosting.Database;
using Npgsql;
using NpgsqlTypes;

namespace BankClientele.Hosting.Messaging;

/// <summary>
/// Writes events into the outbox set-based, from SQL, in the caller's transaction: one
/// <c>INSERT INTO outbox_messages SELECT ...</c> per kind of event instead of a row at a time.
/// Ids are UUID v7 as the relay expects (it publishes in id order): the timestamp of this batch,
/// then a counter (from a random start) in place of the random bits, so a batch's events are published in the order written.
/// Bodies built in C# (<see cref="BeginCopyAsync{TMessage}"/>) go in by binary COPY under the same ids:
/// the bulk writer beside <see cref="ServiceDbContext.Publish{TMessage}"/> (one event, through EF), the same
/// table, type names (<see cref="OutboxMessage.TypeName{TMessage}"/>) and JSON (<see cref="ContractTypes.JsonOptions"/>).
/// </summary>
public sealed class SqlOutbox(NpgsqlConnection connection, NpgsqlTransaction transaction)
{
    private readonly long milliseconds = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
    // The counter starts at random (below 2^58 of its 60 bits): imports running side by side that
    // take the same millisecond still write different ids, each in its own order.
    private long sequence = Random.Shared.NextInt64(1L << 58);

    /// <summary>Events written so far.</summary>
    public int Written { get; private set; }

    /// <summary>
    /// Inserts one event per row of <paramref name="eventsSql"/>, a SELECT with the columns
    /// <c>body</c> (json, the contract in camelCase) and <c>sort</c> (the order to publish in).
    /// </summary>
    public async Task<int> InsertAsync<TMessage>(string eventsSql, CancellationToken ct, params NpgsqlParameter[] parameters) where TMessage : class
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
        command.Parameters.AddWithValue("outbox_type", OutboxMessage.TypeName<TMessage>());
        command.Parameters.AddRange(parameters);
        command.CommandTimeout = 0;
        var inserted = await command.ExecuteNonQueryAsync(ct);
        sequence += inserted;
        Written += inserted;
        return inserted;
    }

    /// <summary>
    /// Starts a binary COPY of events whose bodies the caller builds (UTF-8 JSON of the contract in
    /// camelCase), numbered on from the events written so far. Complete it before the next command.
    /// </summary>
    public async Task<OutboxCopy<TMessage>> BeginCopyAsync<TMessage>(CancellationToken ct) where TMessage : class
    {
        var importer = await connection.BeginBinaryImportAsync(
            "COPY outbox_messages (id, message_type, body, created_at, attempts) FROM STDIN (FORMAT BINARY)", ct);
        return new OutboxCopy<TMessage>(this, importer);
    }

    /// <summary>The id the SQL path gives the <paramref name="sequence"/>th event of this batch (see <see cref="InsertAsync{TMessage}"/>).</summary>
    internal Guid Id(long sequence)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteInt64BigEndian(bytes[..8], milliseconds << 16 | 0x7000);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], 0x8UL << 60 | (ulong)sequence);
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>A running COPY of events of one contract into the outbox.</summary>
    public sealed class OutboxCopy<TMessage>(SqlOutbox outbox, NpgsqlBinaryImporter importer) : IAsyncDisposable where TMessage : class
    {
        private readonly DateTime createdAt = DateTime.UtcNow;
        private readonly string messageType = OutboxMessage.TypeName<TMessage>();

        /// <summary>One event, its body serialised from the contract as every other outbox row is.</summary>
        public ValueTask WriteAsync(TMessage message, CancellationToken ct) =>
            WriteAsync(JsonSerializer.SerializeToUtf8Bytes(message, ContractTypes.JsonOptions), ct);

        /// <summary>One event whose body the caller has already written (UTF-8 JSON of <typeparamref name="TMessage"/>, camelCase).</summary>
        public async ValueTask WriteAsync(ReadOnlyMemory<byte> body, CancellationToken ct)
        {
            outbox.sequence++;
            outbox.Written++;
            await importer.StartRowAsync(ct);
            await importer.WriteAsync(outbox.Id(outbox.sequence), NpgsqlDbType.Uuid, ct);
            await importer.WriteAsync(messageType, NpgsqlDbType.Text, ct);
            await importer.WriteAsync(body, NpgsqlDbType.Json, ct);
            await importer.WriteAsync(createdAt, NpgsqlDbType.TimestampTz, ct);
            await importer.WriteAsync(0, NpgsqlDbType.Integer, ct);
        }

        public async Task CompleteAsync(CancellationToken ct) => await importer.CompleteAsync(ct);

        public ValueTask DisposeAsync() => importer.DisposeAsync();
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
