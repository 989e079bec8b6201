using BankClientele.CustomerCare.Assignment;
using BankClientele.CustomerCare.Managers;
using Google.OrTools.Graph;

namespace BankClientele.Cli.Assignment;

/// <summary>
/// An independent check of the solver's lower bound: the same objective built from its definition
/// (AssignmentCosts), one node per customer instead of the solver's classes of interchangeable
/// customers, solved by OR-Tools' MinCostFlow (SimpleMinCostFlow). Its optimum is the LP optimum of
/// the customer-level problem; the solver's class network must reach the same value, so the gap of the
/// integral assignment measured against it should equal the solver's own costGap.
/// Customers × managers arcs: meant for instances up to <see cref="MaxCustomers"/> customers.
/// </summary>
public static class CustomerLevelFlow
{
    public const int MaxCustomers = 20_000;

    /// <summary>The optimum of the customer-level flow network of one branch.</summary>
    public static long Optimum(IReadOnlyList<SolverManager> managers, IReadOnlyList<SolverCustomer> customers, AssignmentCosts costs)
    {
        using var flow = new MinCostFlow();
        var m = managers.Count;
        // Nodes: 0 the sink, 1..m managers, m+1.. customers.
        long total = 0;
        for (var i = 0; i < customers.Count; i++)
        {
            var c = customers[i];
            var node = 1 + m + i;
            flow.SetNodeSupply(node, c.Weight);
            total += c.Weight;
            flow.AddArcWithCapacityAndUnitCost(node, 0, c.Weight, costs.UnassignedCost);
            for (var j = 0; j < m; j++)
            {
                var manager = managers[j];
                var mayTake = manager.Status == ManagerStatus.Active || (manager.Status == ManagerStatus.OnLeave && c.CurrentManager == j);
                if (!mayTake || manager.Capacity - manager.FixedLoad < c.Weight)
                {
                    continue;
                }
                var unitCost = (c.CurrentManager >= 0 && c.CurrentManager != j ? costs.ContinuityCost : 0)
                               + (c.PrefersSenior && !manager.Senior ? costs.FitCost : 0);
                flow.AddArcWithCapacityAndUnitCost(node, 1 + j, c.Weight, unitCost);
            }
        }
        for (var j = 0; j < m; j++)
        {
            // One arc per unit of room: unit u (1-based) of capacity C costs floor((u−1)·blocks/C)·step.
            var manager = managers[j];
            for (var unit = manager.FixedLoad + 1; unit <= manager.Capacity; unit++)
            {
                var block = (long)(unit - 1) * costs.BalanceBlocks / manager.Capacity;
                flow.AddArcWithCapacityAndUnitCost(1 + j, 0, 1, block * costs.BalanceStep);
            }
        }
        flow.SetNodeSupply(0, -total);
        var status = flow.Solve();
        if (status != MinCostFlowBase.Status.OPTIMAL)
        {
            throw new InvalidOperationException($"The customer-level flow did not solve: {status}.");
        }
        return flow.OptimalCost();
    }
}
