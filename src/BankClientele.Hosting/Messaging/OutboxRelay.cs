using System.Text.Json;
using BankClientele.Hosting.Database;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace BankClientele.Hosting.Messaging;

/// <summary>
/// Publishes committed outbox rows. Woken by the NOTIFY that <see cref="ServiceDbContext"/> sends
/// on commit, with a short poll as a fallback. Instances claim rows with FOR UPDATE SKIP LOCKED,
/// so several replicas share the work without publishing a row twice.
/// </summary>
public sealed class OutboxRelay<TContext>(
    IServiceScopeFactory scopes,
    IBus bus,
    NpgsqlDataSource dataSource,
    ILogger<OutboxRelay<TContext>> logger) : BackgroundService where TContext : ServiceDbContext
{
    private const int BatchSize = 50;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        NpgsqlConnection? listener = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                listener ??= await ListenAsync(stoppingToken);
                while (await PublishBatchAsync(stoppingToken) == BatchSize)
                {
                }
                await listener.WaitAsync(PollInterval, stoppingToken);
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

    /// <summary>Publishes one batch in one transaction; returns how many it sent.</summary>
    public async Task<int> PublishBatchAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var batch = await db.OutboxMessages
            .FromSql($"SELECT * FROM outbox_messages WHERE sent_at IS NULL ORDER BY id LIMIT {BatchSize} FOR UPDATE SKIP LOCKED")
            .ToListAsync(ct);
        foreach (var message in batch)
        {
            try
            {
                var type = ContractTypes.Resolve(message.MessageType);
                var body = JsonSerializer.Deserialize(message.Body, type, ContractTypes.JsonOptions)!;
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(PublishTimeout);
                // The outbox id is the bus message id, so a consumer's inbox recognises a re-send.
                await bus.Publish(body, type, context => context.MessageId = message.Id, timeout.Token);
                message.SentAt = DateTimeOffset.UtcNow;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                // Keep what was sent marked as sent; the rest waits for the next pass.
                message.Attempts++;
                message.LastError = ex.Message;
                logger.LogWarning(ex, "Could not publish outbox message {MessageId} ({Type})", message.Id, message.MessageType);
                break;
            }
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return batch.Count(m => m.SentAt is not null);
    }
}
