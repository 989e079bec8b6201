using System.Diagnostics.Metrics;
using BankClientele.Contracts.CustomerCare;
using BankClientele.Hosting.Messaging;
using BankClientele.Insights.Store;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Insights.Tests.Store;

/// <summary>
/// The uplift store's manager of each customer (deposits by manager) in both arrival orders: the version
/// decides, a return to the pool takes the customer out of the book, and each stale message is counted.
/// </summary>
public sealed class UpliftStoreManagerOrderTests
{
    [Test]
    public async Task Two_assignments_end_with_the_newer_version_in_either_order_and_the_stale_one_is_counted()
    {
        long stale = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == StaleMessages.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "message_type", Value: nameof(RelationshipManagerAssigned) })
                {
                    Interlocked.Add(ref stale, value);
                }
            }
        });
        listener.Start();

        await ManagerEventOrder.AssertTwoAssignmentsAsync(DeliverAsync);
        Assert.That(Interlocked.Read(ref stale), Is.GreaterThanOrEqualTo(1), "the older assignment arriving last was counted as stale");
    }

    [Test]
    public Task An_assignment_and_a_return_to_the_pool_end_out_of_the_book_in_either_order() =>
        ManagerEventOrder.AssertAssignmentAndReturnToPoolAsync(DeliverAsync);

    private static async Task<(string?, long)> DeliverAsync(Guid customerId, object message)
    {
        await TestSystem.Insights.DeliverInOrderAsync(message is RelationshipManagerAssigned
            ? nameof(ManagerAssignedConsumer) : nameof(ManagerUnassignedConsumer), message);
        await using var db = TestSystem.Insights.NewDbContext();
        var row = await db.Set<CustomerAttributes>().AsNoTracking().SingleAsync(c => c.CustomerId == customerId);
        return (row.RelationshipManagerId, row.AssignmentVersion);
    }
}
