using BankClientele.Contracts.CustomerCare;

namespace BankClientele.Testing;

/// <summary>
/// CustomerCare's manager events that must end the same whatever order they arrive in, each pair delivered to one
/// service's consumers in both orders (a new customer each time). <c>deliver</c> hands one message to the service,
/// waits until its consumer took it, and reads the customer's manager and version as the service now holds them.
/// </summary>
public static class ManagerEventOrder
{
    /// <summary>Assigned v1 and v2 (v2 with the older time, as another replica's clock may give): v2 wins either way.</summary>
    public static Task AssertTwoAssignmentsAsync(Func<Guid, object, Task<(string? Manager, long Version)>> deliver)
    {
        var branch = TestServers.UniqueBranch();
        var at = DateTimeOffset.UtcNow;
        return AssertBothOrdersAsync(deliver, ($"{branch}-RM2", 2L),
            id => new RelationshipManagerAssigned(id, $"{branch}-RM1", branch, at, null, "new-customer", 1),
            id => new RelationshipManagerAssigned(id, $"{branch}-RM2", branch, at.AddMinutes(-5), $"{branch}-RM1", "rebalance", 2));
    }

    /// <summary>Assigned v1 and back to the pool v2: no manager either way.</summary>
    public static Task AssertAssignmentAndReturnToPoolAsync(Func<Guid, object, Task<(string? Manager, long Version)>> deliver)
    {
        var branch = TestServers.UniqueBranch();
        var at = DateTimeOffset.UtcNow;
        return AssertBothOrdersAsync(deliver, (null, 2L),
            id => new RelationshipManagerAssigned(id, $"{branch}-RM1", branch, at, null, "new-customer", 1),
            id => new RelationshipManagerUnassigned(id, branch, $"{branch}-RM1", "manager-left", at.AddMinutes(1), 2));
    }

    private static async Task AssertBothOrdersAsync(Func<Guid, object, Task<(string? Manager, long Version)>> deliver,
        (string? Manager, long Version) expected, Func<Guid, object> older, Func<Guid, object> newer)
    {
        async Task<List<(string?, long)>> DeliverAsync(params Func<Guid, object>[] messages)
        {
            var customerId = Guid.NewGuid();
            var states = new List<(string?, long)>();
            foreach (var make in messages)
            {
                states.Add(await deliver(customerId, make(customerId)));
            }
            return states;
        }
        var inOrder = await DeliverAsync(older, newer);
        var reversed = await DeliverAsync(newer, older);
        Assert.Multiple(() =>
        {
            Assert.That(inOrder[^1], Is.EqualTo(expected));
            Assert.That(reversed[^1], Is.EqualTo(inOrder[^1]), "the same end in either order");
            Assert.That(reversed[1], Is.EqualTo(reversed[0]), "the stale message, arriving last, changed nothing");
        });
    }
}
