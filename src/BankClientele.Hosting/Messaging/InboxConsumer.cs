using BankClientele.Hosting.Database;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Npgsql;

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
        var consumer = GetType().Name;
        if (Statements(context.Message) is { Count: > 0 } statements)
        {
            await ApplyInOneRoundTripAsync(messageId, consumer, statements, ct);
            return;
        }
        Db.ChangeTracker.Clear(); // a retry may reuse this context after a failed attempt
        await using var tx = await Db.Database.BeginTransactionAsync(ct);
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

    /// <summary>The handler's reads and writes, in the transaction that records the inbox entry (unless <see cref="Statements"/> answers).</summary>
    protected virtual Task HandleAsync(TMessage message, ConsumeContext<TMessage> context) =>
        throw new NotSupportedException($"{GetType().Name} overrides neither HandleAsync nor Statements.");

    /// <summary>
    /// For a handler whose whole effect is a few SQL statements that need no reads first: return
    /// them here and they run with the inbox insert as one batch, in one round trip and one implicit
    /// transaction (instead of BEGIN + insert, the handler's statement, COMMIT). A message already
    /// in the inbox fails the insert, and with it the whole batch: nothing is applied twice.
    /// Null (the default) runs <see cref="HandleAsync"/> in an explicit transaction.
    /// </summary>
    protected virtual IReadOnlyList<FormattableString>? Statements(TMessage message) => null;

    private async Task ApplyInOneRoundTripAsync(Guid messageId, string consumer, IReadOnlyList<FormattableString> statements, CancellationToken ct)
    {
        var connection = (NpgsqlConnection)Db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
        {
            await connection.OpenAsync(ct);
        }
        try
        {
            await using var batch = new NpgsqlBatch(connection);
            // No ON CONFLICT: a duplicate (or a concurrent copy, once the first commits) raises 23505 and aborts the batch.
            batch.BatchCommands.Add(Command($"INSERT INTO inbox_messages (message_id, consumer, received_at) VALUES ({messageId}, {consumer}, {DateTimeOffset.UtcNow})"));
            foreach (var statement in statements)
            {
                batch.BatchCommands.Add(Command(statement));
            }
            await batch.ExecuteNonQueryAsync(ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == "pk_inbox_messages")
        {
            // Handled before: the whole batch rolled back, nothing changed.
        }
        finally
        {
            if (opened)
            {
                await connection.CloseAsync();
            }
        }
    }

    /// <summary>A FormattableString as a batch command with positional parameters ($1, $2, ...).</summary>
    private static NpgsqlBatchCommand Command(FormattableString sql)
    {
        var arguments = sql.GetArguments();
        var command = new NpgsqlBatchCommand(string.Format(System.Globalization.CultureInfo.InvariantCulture, sql.Format,
            Enumerable.Range(1, arguments.Length).Select(i => (object)$"${i}").ToArray()));
        foreach (var argument in arguments)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = argument ?? DBNull.Value });
        }
        return command;
    }
}
