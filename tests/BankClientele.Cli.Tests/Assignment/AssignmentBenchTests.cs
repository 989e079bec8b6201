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
    public async Task Bench_assignment_refuses_a_nonsense_size()
    {
        var cli = new TestCli();
        var exit = await cli.RunAsync("bench", "assignment", "--customers", "0");
        Assert.That(exit, Is.Not.Zero);
        Assert.That(cli.Error + cli.Out, Does.Contain("--customers must be"));
    }
}
