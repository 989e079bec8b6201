using BankClientele.Contracts.CustomerCare;
using BankClientele.Insights.Kpis;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Insights.Tests.Kpis;

/// <summary>CustomerCare's manager events in both orders: the league table's <c>manager_books</c> ends the same, decided by the version.</summary>
public sealed class ManagerBookOrderTests
{
    [Test]
    public Task Two_assignments_end_with_the_newer_version_in_either_order() => ManagerEventOrder.AssertTwoAssignmentsAsync(DeliverAsync);

    [Test]
    public Task An_assignment_and_a_return_to_the_pool_end_out_of_the_book_in_either_order() =>
        ManagerEventOrder.AssertAssignmentAndReturnToPoolAsync(DeliverAsync);

    private static async Task<(string?, long)> DeliverAsync(Guid customerId, object message)
    {
        await TestSystem.Insights.DeliverInOrderAsync(message is RelationshipManagerAssigned
            ? nameof(ManagerBookConsumer) : nameof(ManagerBookUnassignedConsumer), message);
        await using var db = TestSystem.Insights.NewDbContext();
        var row = await db.Set<ManagerBookEntry>().AsNoTracking().SingleAsync(m => m.CustomerId == customerId);
        return (row.RelationshipManagerId, row.Version);
    }
}
