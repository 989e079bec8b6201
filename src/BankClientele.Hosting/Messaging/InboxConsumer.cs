using BankClientele.Hosting.Database;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Hosting.Messaging;

/// <summary>
/// A consumer whose writes, its inbox record and any events it publishes commit together, so a
/// redelivered message (same message id) changes nothing the second time.
/// </summary>
public abstract class InboxConsumer<TMessage, TContext>(TContext db) : IConsumer<TMessage>
    where TMessage : class
    where TContext : ServiceDbContext
{
    protected TContext Db { get; } = db;

    public async Task Consume(ConsumeContext<TMessage> context)
    {
        var messageId = context.MessageId
            ?? throw new InvalidOperationException($"{typeof(TMessage).Name} arrived without a message id.");
        var ct = context.CancellationToken;
        Db.ChangeTracker.Clear(); // a retry may reuse this context after a failed attempt
        await using var tx = await Db.Database.BeginTransactionAsync(ct);
        var consumer = GetType().Name;
        // A concurrent duplicate blocks here until the first commits, then inserts nothing.
        var claimed = await Db.Database.ExecuteSqlAsync(
            $"INSERT INTO inbox_messages (message_id, consumer, received_at) VALUES ({messageId}, {consumer}, {DateTimeOffset.UtcNow}) ON CONFLICT DO NOTHING",
            ct);
        if (claimed == 0)
        {
            return;
        }
        await HandleAsync(context.Message, context);
        await Db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    protected abstract Task HandleAsync(TMessage message, ConsumeContext<TMessage> context);
}
