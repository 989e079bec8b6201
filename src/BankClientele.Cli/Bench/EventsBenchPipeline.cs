using BankClientele.Contracts.FootTraffic;
using BankClientele.Hosting.Database;
using BankClientele.Hosting.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Cli.Bench;

/// <summary>The publishing side of the events bench: a service database with nothing but its outbox.</summary>
public sealed class BenchSourceDbContext(DbContextOptions<BenchSourceDbContext> options) : ServiceDbContext(options);

/// <summary>
/// The consuming side: its inbox and <c>bench_effects</c>, one row per handled event (no unique
/// key on purpose, so a doubled effect shows as a second row).
/// </summary>
public sealed class BenchSinkDbContext(DbContextOptions<BenchSinkDbContext> options) : ServiceDbContext(options)
{
    public const string CreateEffectsTable = "CREATE TABLE bench_effects (visit_id uuid NOT NULL, branch_code text NOT NULL)";
}

/// <summary>The high-volume way: a batch per transaction, one statement for the effects.</summary>
public sealed class BenchVisitBatchConsumer(BenchSinkDbContext db) : InboxBatchConsumer<BranchVisitRecorded, BenchSinkDbContext>(db)
{
    protected override Task HandleBatchAsync(IReadOnlyList<BranchVisitRecorded> messages, ConsumeContext<Batch<BranchVisitRecorded>> context)
    {
        var ids = messages.Select(m => m.VisitId).ToArray();
        var branches = messages.Select(m => m.BranchCode).ToArray();
        return Db.Database.ExecuteSqlAsync(
            $"INSERT INTO bench_effects (visit_id, branch_code) SELECT * FROM unnest({ids}, {branches})", context.CancellationToken);
    }
}

/// <summary>One message at a time, the inbox insert and the effect in one round trip (InboxConsumer.Statements).</summary>
public sealed class BenchVisitConsumer(BenchSinkDbContext db) : InboxConsumer<BranchVisitRecorded, BenchSinkDbContext>(db)
{
    protected override IReadOnlyList<FormattableString> Statements(BranchVisitRecorded message) =>
        [$"INSERT INTO bench_effects (visit_id, branch_code) VALUES ({message.VisitId}, {message.BranchCode})"];
}

/// <summary>One message at a time in an explicit transaction (BEGIN + inbox insert, the effect, COMMIT): most services' consumers.</summary>
public sealed class BenchVisitTransactionConsumer(BenchSinkDbContext db) : InboxConsumer<BranchVisitRecorded, BenchSinkDbContext>(db)
{
    protected override Task HandleAsync(BranchVisitRecorded message, ConsumeContext<BranchVisitRecorded> context) =>
        Db.Database.ExecuteSqlAsync(
            $"INSERT INTO bench_effects (visit_id, branch_code) VALUES ({message.VisitId}, {message.BranchCode})", context.CancellationToken);
}
