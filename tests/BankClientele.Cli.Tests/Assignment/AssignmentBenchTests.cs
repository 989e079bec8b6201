using System.Text.Json;

namespace BankClientele.Cli.Tests.Assignment;

public sealed class AssignmentBenchTests
{
    [Test]
    public async Task Bench_assignment_ends_with_one_json_line_of_checked_figures()
    {
        var cli = new TestCli();
        var exit = await cli.RunAsync("bench", "assignment", "--customers", "5000", "--managers", "80");
        Assert.That(exit, Is.Zero, cli.Error);
        var last = cli.Out.TrimEnd().Split('\n')[^1];
        using var json = JsonDocument.Parse(last);
        var root = json.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("customers").GetInt32(), Is.EqualTo(5000));
            Assert.That(root.GetProperty("managers").GetInt32(), Is.EqualTo(80));
            Assert.That(root.GetProperty("capacityViolations").GetInt32(), Is.Zero);
            Assert.That(root.GetProperty("costGap").GetDouble(), Is.InRange(0, 0.01));
            Assert.That(root.GetProperty("maxMinLoadRatio").GetDouble(), Is.GreaterThanOrEqualTo(1));
            Assert.That(root.GetProperty("seconds").GetDouble(), Is.GreaterThan(0));
        });
    }

    [Test]
    public async Task Bench_assignment_agrees_with_a_customer_level_flow_solved_apart()
    {
        var cli = new TestCli();
        var exit = await cli.RunAsync("bench", "assignment", "--customers", "3000", "--managers", "60", "--seed", "11");
        Assert.That(exit, Is.Zero, cli.Error);
        using var json = JsonDocument.Parse(cli.Out.TrimEnd().Split('\n')[^1]);
        var root = json.RootElement;
        var costGap = root.GetProperty("costGap").GetDouble();
        var independentGap = root.GetProperty("independentGap").GetDouble();
        Assert.Multiple(() =>
        {
            Assert.That(independentGap, Is.InRange(0, 0.01), "the integral assignment is within 1 % of the customer-level optimum");
            Assert.That(independentGap, Is.EqualTo(costGap).Within(1e-9), "the class network's optimum is the customer-level optimum");
            Assert.That(root.GetProperty("independentSeconds").GetDouble(), Is.GreaterThan(0));
        });
    }

    [Test]
    public void The_customer_level_flow_of_a_tiny_branch_is_the_optimum_by_hand()
    {
        // Two active managers of capacity 4 (blocks of 0.4 units: unit u costs floor((u−1)·10/4)·10), one customer of weight 2 with
        // manager 0, one of weight 2 with nobody: both stay or go to the emptier manager, whichever is cheaper.
        var costs = new BankClientele.CustomerCare.Assignment.AssignmentCosts();
        BankClientele.CustomerCare.Assignment.SolverManager[] managers =
        [
            new("RM-A", 4, BankClientele.CustomerCare.Managers.ManagerStatus.Active, false),
            new("RM-B", 4, BankClientele.CustomerCare.Managers.ManagerStatus.Active, false),
        ];
        BankClientele.CustomerCare.Assignment.SolverCustomer[] customers = [new(2, false, 0, 1m), new(2, false, -1, 1m)];
        // Units 1, 2 of a manager cost 0 and 20; the best is one customer each: 2 × (0 + 20) = 40, no move.
        Assert.That(BankClientele.Cli.Assignment.CustomerLevelFlow.Optimum(managers, customers, costs), Is.EqualTo(40));
        var solved = BankClientele.CustomerCare.Assignment.AssignmentSolver.Solve(managers, customers, costs);
        Assert.That(solved.Cost, Is.EqualTo(40));
    }

    [Test]
    public async Task Bench_assignment_refuses_a_nonsense_size()
    {
        var cli = new TestCli();
        var exit = await cli.RunAsync("bench", "assignment", "--customers", "0");
        Assert.That(exit, Is.Not.Zero);
        Assert.That(cli.Error + cli.Out, Does.Contain("--customers must be"));
    }
}
