using BankClientele.Hosting.Database;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using MassTransit.Middleware.Rescue;
using MassTransit.Transports;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace BankClientele.Hosting.Messaging;

/// <summary>
/// For high-volume events: takes up to <see cref="InboxBatchConsumerDefinition{TConsumer}.MessageLimit"/>
/// messages at once and handles them in one transaction: one statement records every message id
/// in the inbox and returns those not seen before, the handler writes for those only (ideally in
/// one statement too), one commit. A message already in the inbox (a redelivery, or a copy another
/// replica is handling right now: the insert waits for that one's commit) is skipped. If the
/// batch fails for a reason that is not transient (a message the handler or the database rejects),
/// it is applied again one message per transaction: the good ones commit, and each one that fails
/// alone goes to the _error queue by itself (MassTransit's error transport, fault headers and all).
/// A message without an id (which the inbox cannot record) goes to the _error queue alone too.
/// A transient failure (PostgreSQL restarting, a deadlock), or every message failing alone, throws:
/// the whole batch is retried and then faulted to the _error queue as before.
/// Register with <c>bus.AddConsumer&lt;TConsumer, InboxBatchConsumerDefinition&lt;TConsumer&gt;&gt;()</c>.
/// </summary>
public abstract class InboxBatchConsumer<TMessage, TContext>(TContext db) : IConsumer<Batch<TMessage>>
    where TMessage : class
    where TContext : ServiceDbContext
{
    protected TContext Db { get; } = db;

    public async Task Consume(ConsumeContext<Batch<TMessage>> context)
    {
        var byId = new Dictionary<Guid, ConsumeContext<TMessage>>(context.Message.Length);
        var withoutId = new List<ConsumeContext<TMessage>>();
        foreach (var message in context.Message)
        {
            if (message.MessageId is { } id)
            {
                byId.TryAdd(id, message); // a copy inside the same batch counts once
            }
            else
            {
                withoutId.Add(message);
            }
        }
        // Sorted, so two batches holding the same ids lock them in the same order (no deadlock).
        var ids = byId.Keys.Order().ToArray();
        if (ids.Length > 0)
        {
            await ApplyIsolatingPoisonAsync(ids, byId, context);
        }
        // Only once the rest has committed: a transient failure above retries the whole batch, these included.
        foreach (var message in withoutId)
        {
            await MoveToErrorQueueAsync(context, message, new InvalidOperationException($"{typeof(TMessage).Name} arrived without a message id."));
        }
    }

    /// <summary>Applies the batch at once; if that fails for a reason that is not transient, one message at a time, moving each that fails alone to _error.</summary>
    private async Task ApplyIsolatingPoisonAsync(Guid[] ids, Dictionary<Guid, ConsumeContext<TMessage>> byId, ConsumeContext<Batch<TMessage>> context)
    {
        var ct = context.CancellationToken;
        try
        {
            await ApplyAsync(ids, byId, context);
            return;
        }
        catch (Exception e) when (ids.Length > 1 && !IsTransient(e) && !ct.IsCancellationRequested)
        {
            // One bad message must not hold back the others: find it by applying them one by one.
        }

        var faulted = new List<(ConsumeContext<TMessage> Message, Exception Error)>();
        foreach (var id in ids)
        {
            try
            {
                await ApplyAsync([id], byId, context);
            }
            catch (Exception e) when (!IsTransient(e) && !ct.IsCancellationRequested)
            {
                faulted.Add((byId[id], e));
            }
        }
        if (faulted.Count == ids.Length)
        {
            // Nothing applies alone either: no single poison message, so the batch fails as a whole.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(faulted[0].Error);
        }
        foreach (var (message, error) in faulted)
        {
            await MoveToErrorQueueAsync(context, message, error);
        }
    }

    /// <summary>
    /// Sends the message, with MassTransit's fault headers, to the endpoint's _error queue through the
    /// endpoint's own error transport; the batch then completes and acknowledges it with the others.
    /// </summary>
    private async Task MoveToErrorQueueAsync(ConsumeContext<Batch<TMessage>> batch, ConsumeContext<TMessage> message, Exception error)
    {
        if (!message.ReceiveContext.TryGetPayload(out IErrorTransport? errors))
        {
            throw new InvalidOperationException($"{GetType().Name}: no error transport to move message {message.MessageId} to; the batch fails instead.", error);
        }
        await errors.Send(new RescueExceptionReceiveContext(message.ReceiveContext, error));
        // Past the endpoint's error pipe, so logged here in the same words (the bus's container is the batch's payload).
        if (batch.TryGetPayload(out IServiceProvider? services) && services.GetService(typeof(MessageFaultLog)) is MessageFaultLog log)
        {
            log.Moved(message.ReceiveContext, message, error);
        }
        else
        {
            Logger?.LogError(error, "{Consumer}: message {MessageId} failed alone; moved to the _error queue, the rest of its batch applied",
                GetType().Name, message.MessageId);
        }
    }

    /// <summary>A failure that may pass on its own (a connection lost, PostgreSQL restarting, a deadlock): not a poison message.</summary>
    private static bool IsTransient(Exception e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is NpgsqlException { IsTransient: true } or TimeoutException or IOException or System.Net.Sockets.SocketException or OperationCanceledException)
            {
                return true;
            }
        }
        return false;
    }

    private ILogger? Logger => logger ??= (((IInfrastructure<IServiceProvider>)Db).Instance.GetService(typeof(ILoggerFactory)) as ILoggerFactory)?.CreateLogger(GetType());

    private ILogger? logger;

    /// <summary>Records the ids in the inbox and hands the fresh messages to the handler, in one transaction.</summary>
    private async Task ApplyAsync(Guid[] ids, Dictionary<Guid, ConsumeContext<TMessage>> byId, ConsumeContext<Batch<TMessage>> context)
    {
        var ct = context.CancellationToken;
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
            MessageIds = fresh.Select(m => m.MessageId!.Value).ToList();
            await HandleBatchAsync(fresh.Select(m => m.Message).ToList(), context);
            await Db.SaveChangesAsync(ct);
        }
        await tx.CommitAsync(ct);
    }

    /// <summary>The message ids of the messages <see cref="HandleBatchAsync"/> is handling, in the same order.</summary>
    protected IReadOnlyList<Guid> MessageIds { get; private set; } = [];

    /// <summary>Handles the messages of the batch not handled before, in one transaction with their inbox records.</summary>
    protected abstract Task HandleBatchAsync(IReadOnlyList<TMessage> messages, ConsumeContext<Batch<TMessage>> context);
}

/// <summary>Batch size, wait and concurrency of an <see cref="InboxBatchConsumer{TMessage, TContext}"/>'s endpoint.</summary>
public class InboxBatchConsumerDefinition<TConsumer> : ConsumerDefinition<TConsumer> where TConsumer : class, IConsumer
{
    /// <summary>
    /// 500, not 200: with 200 a flood queued up behind the consumer (3,000+ messages in <c>bench events</c>), and a
    /// classic queue with a backlog costs the broker far more per message than one drained as it fills.
    /// </summary>
    public const int MessageLimit = 500;
    public const int ConcurrencyLimit = 2;

    /// <summary>Messages a batch holds at most.</summary>
    protected virtual int Messages => MessageLimit;

    /// <summary>Batches handled at once.</summary>
    protected virtual int Concurrency => ConcurrencyLimit;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<TConsumer> consumerConfigurator, IRegistrationContext context)
    {
        // The broker must be allowed to push whole batches to every concurrent batch.
        if (endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.PrefetchCount = Messages * Concurrency;
        }
        endpointConfigurator.ConcurrentMessageLimit = Messages * Concurrency;
        consumerConfigurator.Options<BatchOptions>(batch => batch
            .SetMessageLimit(Messages)
            .SetTimeLimit(TimeSpan.FromMilliseconds(20))
            .SetConcurrencyLimit(Concurrency));
    }
}

/// <summary>
/// For large events that each take real work (a branch-day of balances, a few hundred kilobytes): small batches, two at
/// once. These come in bursts (a year of balances is thousands of them); a service that takes them runs at a lower CPU
/// priority where it shares a machine (<c>./run.sh</c>), so its catch-up yields to the requests people are waiting on.
/// </summary>
public class BulkBatchConsumerDefinition<TConsumer> : InboxBatchConsumerDefinition<TConsumer> where TConsumer : class, IConsumer
{
    public const int BulkMessageLimit = 16;

    protected override int Messages => BulkMessageLimit;
}
