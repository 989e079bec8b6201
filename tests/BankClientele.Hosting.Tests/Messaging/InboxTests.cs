using BankClientele.Contracts.FootTraffic;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Hosting.Tests.Messaging;

public sealed class InboxTests
{
    [Test]
    public async Task The_same_message_delivered_twice_changes_state_once()
    {
        var branch = TestServers.UniqueBranch();
        var messageId = Guid.NewGuid();
        var visit = new BranchVisitRecorded(Guid.NewGuid(), branch, null, "B007", "存取款", DateTimeOffset.UtcNow);
        var bus = TestSystem.Insights.Get<IBus>();
        var deliveries = new ConsumedCounter(messageId);
        using var observer = bus.ConnectConsumeObserver(deliveries);

        // Two deliveries with one message id, as a redelivery after a lost ack would be.
        await bus.Publish(visit, context => context.MessageId = messageId);
        await bus.Publish(visit, context => context.MessageId = messageId);

        await Poll.UntilAsync(() => Task.FromResult(deliveries.Count), n => n >= 2, "both deliveries to be consumed");
        await using var db = TestSystem.Insights.NewDbContext();
        var stats = await db.BranchStatistics.AsNoTracking().SingleAsync(s => s.BranchCode == branch);
        Assert.That(stats.Visits, Is.EqualTo(1));
        Assert.That(await db.InboxMessages.CountAsync(m => m.MessageId == messageId), Is.EqualTo(1));
    }

    /// <summary>Counts completed consumptions (success or fault) of one message id.</summary>
    private sealed class ConsumedCounter(Guid messageId) : IConsumeObserver
    {
        private int count;

        public int Count => Volatile.Read(ref count);

        public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

        public Task PostConsume<T>(ConsumeContext<T> context) where T : class
        {
            if (context.MessageId == messageId)
            {
                Interlocked.Increment(ref count);
            }
            return Task.CompletedTask;
        }

        public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class => Task.CompletedTask;
    }
}
