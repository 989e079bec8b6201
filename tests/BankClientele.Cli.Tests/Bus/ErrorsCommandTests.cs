namespace BankClientele.Cli.Tests.Bus;

public sealed class ErrorsCommandTests
{
    [TestCase]
    [TestCase("--queue", "insights-visit-count", "--all")]
    public async Task Errors_retry_needs_either_a_queue_or_all(params string[] arguments)
    {
        var cli = TestCli.WithSigningKey();
        var exit = await cli.RunAsync(["errors", "retry", .. arguments]);
        Assert.That(exit, Is.Not.Zero);
        Assert.That(cli.Error, Does.Contain("Give either --queue QUEUE or --all."));
    }

    [Test]
    public async Task Errors_list_names_each_service_it_cannot_reach_and_fails()
    {
        // Nothing listens on port 1: every service is down.
        var cli = new TestCli(new Dictionary<string, string?>
        {
            ["Auth:PrivateKey"] = TestCli.SigningKey,
            ["Services:CustomerCare"] = "http://127.0.0.1:1",
            ["Services:Acquisition"] = "http://127.0.0.1:1",
            ["Services:FootTraffic"] = "http://127.0.0.1:1",
            ["Services:Insights"] = "http://127.0.0.1:1",
        });
        var exit = await cli.RunAsync("errors", "list");
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(cli.Error, Does.Contain("customer-care is not reachable").And.Contain("insights is not reachable"));
    }
}
