using BankClientele.Acquisition.Customers;
using BankClientele.Contracts.CustomerCare;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Acquisition.Tests.Customers;

/// <summary>CustomerCare's manager events in both orders: <c>customer_managers</c> ends the same, decided by the version.</summary>
public sealed class CustomerManagerOrderTests
{
    [Test]
    public Task Two_assignments_end_with_the_newer_version_in_either_order() => ManagerEventOrder.AssertTwoAssignmentsAsync(DeliverAsync);

    [Test]
    public Task An_assignment_and_a_return_to_the_pool_end_unassigned_in_either_order() =>
        ManagerEventOrder.AssertAssignmentAndReturnToPoolAsync(DeliverAsync);

    private static async Task<(string?, long)> DeliverAsync(Guid customerId, object message)
    {
        await TestSystem.Acquisition.DeliverInOrderAsync(message is RelationshipManagerAssigned
            ? nameof(RelationshipManagerAssignedConsumer) : nameof(RelationshipManagerUnassignedConsumer), message);
        await using var db = TestSystem.Acquisition.NewDbContext();
        var row = await db.CustomerManagers.AsNoTracking().SingleAsync(m => m.CustomerId == customerId);
        return (row.RelationshipManagerId, row.Version);
    }
}
