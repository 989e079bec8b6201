using System.Buffers.Binary;
using System.Text.Json;
using BankClientele.Hosting.Database;
using Npgsql;
using NpgsqlTypes;

namespace BankClientele.Hosting.Messaging;

/// <summary>
/// Writes many events into the outbox in the caller's transaction by binary COPY, instead of a row at a time.
/// Ids are UUID v7 as the relay expects (it publishes in id order): the timestamp of this batch,
/// then a counter (from a random start) in place of the random bits, so a batch's events are published in the order written.
/// Bodies are built in C# from the contracts (<see cref="CopyAsync{TMessage}"/>, <see cref="BeginCopyAsync{TMessage}"/>):
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
    /// One event per row of <paramref name="rowsSql"/> (a SELECT ordered as the events are to be published):
    /// each row made into its contract record by <paramref name="read"/> and serialised as every outbox body is
    /// (<see cref="ContractTypes.JsonOptions"/>), never composed in SQL. The rows are read through a cursor a page
    /// at a time and each page copied in (binary COPY), so a large import stays bounded in memory.
    /// </summary>
    public async Task<int> CopyAsync<TMessage>(string rowsSql, Func<NpgsqlDataReader, TMessage> read, CancellationToken ct) where TMessage : class
    {
        await using (var declare = new NpgsqlCommand($"DECLARE outbox_rows NO SCROLL CURSOR FOR {rowsSql}", connection, transaction) { CommandTimeout = 0 })
        {
            await declare.ExecuteNonQueryAsync(ct);
        }
        var written = 0;
        var bodies = new List<byte[]>(CopyPage);
        while (true)
        {
            bodies.Clear();
            await using (var fetch = new NpgsqlCommand($"FETCH FORWARD {CopyPage} FROM outbox_rows", connection, transaction) { CommandTimeout = 0 })
            await using (var reader = await fetch.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    bodies.Add(JsonSerializer.SerializeToUtf8Bytes(read(reader), ContractTypes.JsonOptions));
                }
            }
            if (bodies.Count == 0)
            {
                break;
            }
            await using var copy = await BeginCopyAsync<TMessage>(ct);
            foreach (var body in bodies)
            {
                await copy.WriteAsync(body, ct);
            }
            await copy.CompleteAsync(ct);
            written += bodies.Count;
        }
        await using (var close = new NpgsqlCommand("CLOSE outbox_rows", connection, transaction))
        {
            await close.ExecuteNonQueryAsync(ct);
        }
        return written;
    }

    /// <summary>Rows fetched and copied at a time by <see cref="CopyAsync{TMessage}"/>.</summary>
    private const int CopyPage = 20_000;

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

    /// <summary>The id of the <paramref name="sequence"/>th event of this batch.</summary>
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
