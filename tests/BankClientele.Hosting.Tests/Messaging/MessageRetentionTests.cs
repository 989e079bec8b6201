using BankClientele.Acquisition;
using BankClientele.Hosting.Database;
using BankClientele.Hosting.Messaging;
using BankClientele.Hosting.Time;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace BankClientele.Hosting.Tests.Messaging;

public sealed class MessageRetentionTests
{
    /// <summary>
    /// On a database of its own with no relay running (an unsent row stays unsent): sent rows older than
    /// the default 7 days and inbox rows older than that go, in batches of 2; the rest, and every unsent
    /// row however old, stay.
    /// </summary>
    [Test]
    public async Task Sent_outbox_rows_and_inbox_rows_past_the_retention_are_deleted_in_batches_and_unsent_rows_never()
    {
        var database = TestServers.DatabaseName("bankclientele_test_acquisition_retention");
        await TestDatabases.DropAsync(database);
        await using (var migrate = DatabaseRegistration.CreateContext<AcquisitionDbContext>(TestServers.Database(database)))
        {
            await migrate.Database.MigrateAsync();
        }
        var now = DateTimeOffset.UtcNow;
        OutboxMessage Row(int createdDaysAgo, int? sentDaysAgo) => new()
        {
            Id = Guid.CreateVersion7(now.AddDays(-createdDaysAgo)), MessageType = "BankClientele.Contracts.Test.RetentionProbe", Body = "{}",
            CreatedAt = now.AddDays(-createdDaysAgo), SentAt = sentDaysAgo is { } d ? now.AddDays(-d) : null, Attempts = sentDaysAgo is null ? 5 : 0,
        };
        var oldSent = Enumerable.Range(0, 5).Select(_ => Row(9, 8)).ToList();
        var recentSent = Row(7, 6);
        var oldUnsent = Row(30, null);
        await using (var db = DatabaseRegistration.CreateContext<AcquisitionDbContext>(TestServers.Database(database)))
        {
            db.OutboxMessages.AddRange([.. oldSent, recentSent, oldUnsent]);
            for (var i = 0; i < 5; i++)
            {
                db.InboxMessages.Add(new InboxMessage { MessageId = Guid.NewGuid(), Consumer = "old", ReceivedAt = now.AddDays(-8) });
            }
            db.InboxMessages.Add(new InboxMessage { MessageId = Guid.NewGuid(), Consumer = "recent", ReceivedAt = now.AddDays(-6) });
            await db.SaveChangesAsync();
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Messaging:RetentionBatchSize"] = "2" }).Build();
        MessageRetentionResult result;
        await using (var db = DatabaseRegistration.CreateContext<AcquisitionDbContext>(TestServers.Database(database)))
        {
            result = await new MessageRetentionJob<AcquisitionDbContext>(db, configuration, TimeProvider.System, NullLogger<MessageRetentionJob<AcquisitionDbContext>>.Instance)
                .RunAsync(CancellationToken.None);
        }

        await using (var db = DatabaseRegistration.CreateContext<AcquisitionDbContext>(TestServers.Database(database)))
        {
            var left = await db.OutboxMessages.Select(m => m.Id).ToListAsync();
            var inbox = await db.InboxMessages.Select(m => m.Consumer).ToListAsync();
            Assert.Multiple(() =>
            {
                Assert.That((result.OutboxDeleted, result.InboxDeleted), Is.EqualTo((5L, 5L)), "5 + 5 rows in batches of 2 (three statements each)");
                Assert.That(left, Is.EquivalentTo(new[] { recentSent.Id, oldUnsent.Id }), "the recently sent row and the 30-day-old unsent row stay");
                Assert.That(inbox, Is.EqualTo(new[] { "recent" }));
                Assert.That(result.Cutoff, Is.EqualTo(now.AddDays(-7)).Within(TimeSpan.FromMinutes(5)), "Messaging:RetentionDays defaults to 7");
            });
        }

        // A shorter retention from configuration reaches the recently sent row, still never the unsent one.
        var short1 = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Messaging:RetentionDays"] = "5" }).Build();
        await using (var db = DatabaseRegistration.CreateContext<AcquisitionDbContext>(TestServers.Database(database)))
        {
            var again = await new MessageRetentionJob<AcquisitionDbContext>(db, short1, TimeProvider.System, NullLogger<MessageRetentionJob<AcquisitionDbContext>>.Instance)
                .RunAsync(CancellationToken.None);
            Assert.That((again.OutboxDeleted, again.InboxDeleted), Is.EqualTo((1L, 1L)));
            Assert.That(await db.OutboxMessages.Select(m => m.Id).ToListAsync(), Is.EqualTo(new[] { oldUnsent.Id }));
        }
        await TestDatabases.DropAsync(database);
    }

    [Test]
    public async Task Every_service_schedules_its_retention_job_in_branch_time()
    {
        foreach (var (database, id) in new[]
                 {
                     (TestSystem.CustomerCare.Database, "customercare-message-retention"),
                     (TestSystem.Acquisition.Database, "acquisition-message-retention"),
                     (TestSystem.FootTraffic.Database, "foottraffic-message-retention"),
                     (TestSystem.Insights.Database, "insights-message-retention"),
                 })
        {
            var stored = await TestDatabases.ScalarAsync<long>(database, $"SELECT count(*) FROM hangfire.set WHERE key = 'recurring-jobs' AND value = '{id}'");
            var zone = await TestDatabases.ScalarAsync<string>(database, $"SELECT value FROM hangfire.hash WHERE key = 'recurring-job:{id}' AND field = 'TimeZoneId'");
            var cron = await TestDatabases.ScalarAsync<string>(database, $"SELECT value FROM hangfire.hash WHERE key = 'recurring-job:{id}' AND field = 'Cron'");
            Assert.That((stored, zone, cron), Is.EqualTo((1L, BranchClock.Zone.Id, "40 3 * * *")), id);
        }
    }
}
