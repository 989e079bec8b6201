using System.Collections.Concurrent;
using BankClientele.Hosting.Database;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace BankClientele.Hosting.Messaging;

/// <summary>The Outbox section of configuration.</summary>
public sealed class OutboxRelayOptions
{
    /// <summary>Rows claimed, published and marked per pass.</summary>
    public int BatchSize { get; set; } = 1000;

    /// <summary>RabbitMq: straight through RabbitMQ.Client in MassTransit's envelope; MassTransit: through the bus's publish pipeline (the first way, ten times the CPU).</summary>
    public string Publisher { get; set; } = "RabbitMq";

    /// <summary>Fallback wake-up when no NOTIFY arrives (a NOTIFY lost with a broken connection).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long one batch may wait for its publisher confirms.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>First wait before rows of a returned message type (no queue bound) are tried again; doubles with each return, up to <see cref="ReturnedRetryMax"/>.</summary>
    public TimeSpan ReturnedRetryMin { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan ReturnedRetryMax { get; set; } = TimeSpan.FromMinutes(1);

    public static OutboxRelayOptions From(IConfiguration configuration) =>
        configuration.GetSection("Outbox").Get<OutboxRelayOptions>() ?? new OutboxRelayOptions();
}

/// <summary>What one pass of the relay did: rows claimed, published (confirmed and marked sent), and those that failed.</summary>
public sealed record OutboxBatchResult(int Claimed, int Sent, IReadOnlyList<OutboxPublishFailure> Failed);

/// <summary>A row not published; <paramref name="Returned"/> when the broker returned it (no queue bound), rather than refused or lost it.</summary>
public sealed record OutboxPublishFailure(Guid MessageId, string MessageType, string Error, bool Returned = false);

/// <summary>
/// Publishes committed outbox rows. Woken by the NOTIFY that <see cref="ServiceDbContext"/> sends
/// on commit, with a short poll as a fallback. A pass claims a batch with FOR UPDATE SKIP LOCKED
/// (so replicas share the work and never publish a row at the same time), starts every publish of
/// the batch in id order on one confirm channel (<see cref="IOutboxPublisher"/>), awaits the publisher confirms together, then marks the
/// confirmed rows sent in one statement and the failed ones (attempts, last error) in another,
/// in the claim's transaction; the next batch is claimed and sent while the previous one awaits
/// its confirms. A crash before that commit leaves the whole batch unsent: it is
/// published again, and consumers' inboxes drop the copies by message id (the outbox row's id).
/// Publishes are mandatory: a row the broker returns (no queue bound to its exchange) stays unsent,
/// its attempts and last error recorded, and this relay leaves that message type out of its claims
/// for a back-off that doubles with each return (a type's exchange routes all its rows alike, and
/// returned rows at the head of the outbox must not take every batch from the others).
/// </summary>
public sealed class OutboxRelay<TContext>(
    IOutboxPublisher publisher,
    NpgsqlDataSource dataSource,
    IConfiguration configuration,
    ILogger<OutboxRelay<TContext>> logger) : BackgroundService where TContext : ServiceDbContext
{
    private readonly OutboxRelayOptions options = OutboxRelayOptions.From(configuration);

    /// <summary>Message types returned (no queue bound) and when their rows may be tried again (this process's memory: a restart retries at once).</summary>
    private readonly ConcurrentDictionary<string, (int Returns, DateTimeOffset RetryAt)> backingOff = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        NpgsqlConnection? listener = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                listener ??= await ListenAsync(stoppingToken);
                var result = await DrainAsync(stoppingToken);
                if (result.Failed.Any(f => !f.Returned))
                {
                    // The broker refuses now: give it a moment instead of spinning on the same rows.
                    // (A returned message type backs off alone instead: the other types keep flowing.)
                    await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
                    continue;
                }
                await listener.WaitAsync(options.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Outbox relay for {Context} failed; retrying", typeof(TContext).Name);
                if (listener is not null)
                {
                    await listener.DisposeAsync();
                    listener = null;
                }
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
        if (listener is not null)
        {
            await listener.DisposeAsync();
        }
    }

    private async Task<NpgsqlConnection> ListenAsync(CancellationToken ct)
    {
        var connection = await dataSource.OpenConnectionAsync(ct);
        await using var listen = new NpgsqlCommand($"LISTEN {ServiceDbContext.OutboxChannel}", connection);
        await listen.ExecuteNonQueryAsync(ct);
        return connection;
    }

    /// <summary>
    /// Publishes batch after batch until the outbox is empty or a publish fails. Two batches are in
    /// flight: the next is claimed and put on the wire while the previous one awaits its confirms and
    /// its marks commit. Claims and publishes still happen one batch after the other, in id order.
    /// </summary>
    private async Task<OutboxBatchResult> DrainAsync(CancellationToken ct)
    {
        Task<OutboxBatchResult>? previous = null;
        try
        {
            while (true)
            {
                var started = await StartBatchAsync(ct);
                if (started is null)
                {
                    return previous is null ? new OutboxBatchResult(0, 0, []) : await previous;
                }
                var finishing = FinishBatchAsync(started);
                if (previous is not null && (await previous).Failed.Any(f => !f.Returned))
                {
                    return Combine(await previous, await finishing);
                }
                previous = finishing;
                if (started.Batch.Count < options.BatchSize)
                {
                    return await finishing;
                }
            }
        }
        catch when (previous is not null)
        {
            // Let the batch already on the wire mark what was confirmed before the error goes up.
            await ((Task)previous).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }
    }

    private static OutboxBatchResult Combine(OutboxBatchResult first, OutboxBatchResult second) =>
        new(first.Claimed + second.Claimed, first.Sent + second.Sent, [.. first.Failed, .. second.Failed]);

    /// <summary>A claimed batch on the wire: its transaction holds the rows' locks until the marks commit.</summary>
    private sealed class StartedBatch(NpgsqlConnection connection, NpgsqlTransaction transaction, List<PendingOutboxMessage> batch) : IAsyncDisposable
    {
        public NpgsqlConnection Connection { get; } = connection;
        public NpgsqlTransaction Transaction { get; } = transaction;
        public List<PendingOutboxMessage> Batch { get; } = batch;
        public IReadOnlyList<Task> Publishes { get; set; } = [];
        public CancellationTokenSource? Timeout { get; set; }

        public async ValueTask DisposeAsync()
        {
            Timeout?.Dispose();
            await Transaction.DisposeAsync();
            await Connection.DisposeAsync();
        }
    }

    /// <summary>Publishes one batch in one transaction and says what went out and what failed.</summary>
    public async Task<OutboxBatchResult> PublishBatchAsync(CancellationToken ct)
    {
        var started = await StartBatchAsync(ct);
        return started is null ? new OutboxBatchResult(0, 0, []) : await FinishBatchAsync(started);
    }

    /// <summary>Claims a batch (FOR UPDATE SKIP LOCKED, in id order) and starts publishing it; null when there is nothing to send.</summary>
    private async Task<StartedBatch?> StartBatchAsync(CancellationToken ct)
    {
        var connection = await dataSource.OpenConnectionAsync(ct);
        NpgsqlTransaction? tx = null;
        try
        {
            tx = await connection.BeginTransactionAsync(ct);
            var batch = new List<PendingOutboxMessage>(options.BatchSize);
            await using (var claim = new NpgsqlCommand(
                "SELECT id, message_type, body FROM outbox_messages WHERE sent_at IS NULL AND NOT (message_type = ANY($2)) ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED",
                connection, tx))
            {
                claim.Parameters.Add(new NpgsqlParameter<int> { TypedValue = options.BatchSize });
                claim.Parameters.Add(new NpgsqlParameter { Value = StillBackingOff(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
                await using var reader = await claim.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    batch.Add(new PendingOutboxMessage(reader.GetGuid(0), reader.GetString(1), reader.GetString(2)));
                }
            }
            if (batch.Count == 0)
            {
                await tx.DisposeAsync();
                await connection.DisposeAsync();
                return null;
            }
            var started = new StartedBatch(connection, tx, batch) { Timeout = CancellationTokenSource.CreateLinkedTokenSource(ct) };
            started.Timeout.CancelAfter(options.PublishTimeout);
            try
            {
                // Put on the wire in id order (one channel keeps that order), confirmed together later.
                started.Publishes = await publisher.PublishAsync(batch, started.Timeout.Token);
            }
            catch (Exception ex)
            {
                started.Publishes = batch.Select(_ => Task.FromException(ex)).ToList();
            }
            if (started.Publishes.Count != batch.Count)
            {
                throw new InvalidOperationException($"The outbox publisher answered {started.Publishes.Count} results for {batch.Count} messages.");
            }
            return started;
        }
        catch
        {
            if (tx is not null)
            {
                await tx.DisposeAsync();
            }
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Awaits the batch's confirms, marks the confirmed rows sent in one statement and the failed ones in another, and commits.</summary>
    private async Task<OutboxBatchResult> FinishBatchAsync(StartedBatch started)
    {
        await using var owned = started;
        var (connection, tx, batch, publishes) = (started.Connection, started.Transaction, started.Batch, started.Publishes);
        // Each task is inspected below: the confirmed ones are still marked sent, even when stopping.
        await Task.WhenAll(publishes).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

        var sent = new List<Guid>(batch.Count);
        var failed = new List<OutboxPublishFailure>();
        for (var i = 0; i < batch.Count; i++)
        {
            if (publishes[i].IsCompletedSuccessfully)
            {
                sent.Add(batch[i].Id);
            }
            else if (publishes[i].Exception?.InnerExceptions.OfType<OutboxPublishReturnedException>().FirstOrDefault() is { } returned)
            {
                failed.Add(new OutboxPublishFailure(batch[i].Id, batch[i].MessageType, returned.Message, Returned: true));
            }
            else
            {
                var error = publishes[i].Exception?.GetBaseException().Message ?? "publish cancelled (no confirm in time)";
                failed.Add(new OutboxPublishFailure(batch[i].Id, batch[i].MessageType, error));
            }
        }

        if (sent.Count > 0)
        {
            // statement_timestamp(): when the broker had confirmed them; now() would be when the batch was claimed.
            await using var markSent = new NpgsqlCommand("UPDATE outbox_messages SET sent_at = statement_timestamp() WHERE id = ANY($1)", connection, tx);
            markSent.Parameters.Add(new NpgsqlParameter { Value = sent.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
            await markSent.ExecuteNonQueryAsync(CancellationToken.None);
        }
        if (failed.Count > 0)
        {
            await using var markFailed = new NpgsqlCommand("""
                UPDATE outbox_messages o SET attempts = o.attempts + 1, last_error = f.error
                FROM unnest($1, $2) AS f(id, error) WHERE o.id = f.id
                """, connection, tx);
            markFailed.Parameters.Add(new NpgsqlParameter { Value = failed.Select(f => f.MessageId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
            markFailed.Parameters.Add(new NpgsqlParameter { Value = failed.Select(f => Truncate(f.Error)).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            await markFailed.ExecuteNonQueryAsync(CancellationToken.None);
            logger.LogWarning("Outbox relay for {Context}: {Failed} of {Claimed} messages not published, first {MessageId} ({Type}): {Error}",
                typeof(TContext).Name, failed.Count, batch.Count, failed[0].MessageId, failed[0].MessageType, failed[0].Error);
        }
        // Once confirmed, the marks must commit even when the host is stopping: else the batch goes out twice.
        await tx.CommitAsync(CancellationToken.None);
        var returnedTypes = failed.Where(f => f.Returned).Select(f => f.MessageType).ToHashSet(StringComparer.Ordinal);
        if (!backingOff.IsEmpty)
        {
            foreach (var type in batch.Where((_, i) => publishes[i].IsCompletedSuccessfully).Select(m => m.MessageType).Distinct().Where(t => !returnedTypes.Contains(t)))
            {
                backingOff.TryRemove(type, out _); // routed again: a queue is bound now
            }
        }
        foreach (var type in returnedTypes)
        {
            BackOff(type);
        }
        return new OutboxBatchResult(batch.Count, sent.Count, failed);
    }

    private void BackOff(string messageType) =>
        backingOff.AddOrUpdate(messageType,
            _ => (1, DateTimeOffset.UtcNow + options.ReturnedRetryMin),
            (_, previous) => (previous.Returns + 1, DateTimeOffset.UtcNow + Delay(previous.Returns + 1)));

    private TimeSpan Delay(int returns) =>
        TimeSpan.FromTicks(Math.Min(options.ReturnedRetryMax.Ticks, options.ReturnedRetryMin.Ticks * (1L << Math.Min(returns - 1, 30))));

    /// <summary>The returned types whose back-off has not run out; the count of returns is kept for the next delay.</summary>
    private string[] StillBackingOff()
    {
        if (backingOff.IsEmpty)
        {
            return [];
        }
        var now = DateTimeOffset.UtcNow;
        return backingOff.Where(b => b.Value.RetryAt > now).Select(b => b.Key).ToArray();
    }

    private static string Truncate(string error) => error.Length <= 2000 ? error : error[..2000];
}
