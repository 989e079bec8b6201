using BankClientele.Hosting.Database;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace BankClientele.Hosting.Messaging;

/// <summary>
/// For high-volume events: takes up to <see cref="InboxBatchConsumerDefinition{TConsumer}.MessageLimit"/>
/// messages at once and handles them in one transaction: one statement records every message id
/// in the inbox and returns those not seen before, the handler writes for those only (ideally in
/// one statement too), one commit. A message already in the inbox (a redelivery, or a copy another
/// replica is handling right now: the insert waits for that one's commit) is skipped. If the
/// handler throws, the whole batch is retried and then faulted to the _error queue, message by message.
/// Register with <c>bus.AddConsumer&lt;TConsumer, InboxBatchConsumerDefinition&lt;TConsumer&gt;&gt;()</c>.
/// </summary>
public abstract class InboxBatchConsumer<TMessage, TContext>(TContext db) : IConsumer<Batch<TMessage>>
    where TMessage : class
    where TContext : ServiceDbContext
{
    protected TContext Db { get; } = db;

    public async Task Consume(ConsumeContext<Batch<TMessage>> context)
    {
        var ct = context.CancellationToken;
        var byId = new Dictionary<Guid, ConsumeContext<TMessage>>(context.Message.Length);
        foreach (var message in context.Message)
        {
            var id = message.MessageId ?? throw new InvalidOperationException($"{typeof(TMessage).Name} arrived without a message id.");
            byId.TryAdd(id, message); // a copy inside the same batch counts once
        }
        // Sorted, so two batches holding the same ids lock them in the same order (no deadlock).
        var ids = byId.Keys.Order().ToArray();

        Db.ChangeTracker.Clear(); // a retry may reuse this context after a failed attempt
        await using var tx = await Db.Database.BeginTransactionAsync(ct);
        var connection = (NpgsqlConnection)Db.Database.GetDbConnection();
        var fresh = new List<ConsumeContext<TMessage>>(ids.Length);
        await using (var claim = new NpgsqlCommand("""
            INSERT INTO inbox_messages (message_id, consumer, received_at)
            SELECT id, $2, now() FROM unnest($1) AS ids(id) ORDER BY id
            ON CONFLICT DO NOTHING RETURNING message_id
            """, connection, (NpgsqlTransaction)tx.GetDbTransaction()))
        {
            claim.Parameters.Add(new NpgsqlParameter { Value = ids, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
            claim.Parameters.Add(new NpgsqlParameter<string> { TypedValue = GetType().Name });
            await using var reader = await claim.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                fresh.Add(byId[reader.GetGuid(0)]);
            }
        }
        if (fresh.Count > 0)
        {
            await HandleBatchAsync(fresh.Select(m => m.Message).ToList(), context);
            await Db.SaveChangesAsync(ct);
        }
        await tx.CommitAsync(ct);
    }

    /// <summary>Handles the messages of the batch not handled before, in one transaction with their inbox records.</summary>
    protected abstract Task HandleBatchAsync(IReadOnlyList<TMessage> messages, ConsumeContext<Batch<TMessage>> context);
}

/// <summary>Batch size, wait and concurrency of an <see cref="InboxBatchConsumer{TMessage, TContext}"/>'s endpoint.</summary>
public class InboxBatchConsumerDefinition<TConsumer> : ConsumerDefinition<TConsumer> where TConsumer : class, IConsumer
{
    public const int MessageLimit = 200;
    public const int ConcurrencyLimit = 2;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<TConsumer> consumerConfigurator, IRegistrationContext context)
    {
        // The broker must be allowed to push whole batches to every concurrent batch.
        if (endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.PrefetchCount = MessageLimit * ConcurrencyLimit;
        }
        endpointConfigurator.ConcurrentMessageLimit = MessageLimit * ConcurrencyLimit;
        consumerConfigurator.Options<BatchOptions>(batch => batch
            .SetMessageLimit(MessageLimit)
            .SetTimeLimit(TimeSpan.FromMilliseconds(20))
            .SetConcurrencyLimit(ConcurrencyLimit));
    }
}
