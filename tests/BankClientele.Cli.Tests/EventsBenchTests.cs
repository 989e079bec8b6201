using System.Text.Json;

namespace BankClientele.Cli.Tests;

public sealed class EventsBenchTests
{
    [Test]
    public async Task Bench_events_runs_the_baseline_and_the_outbox_path_and_counts_every_event_once()
    {
        // The test run's own virtual host and databases (BANKCLIENTELE_TEST_ISOLATION), never a demo's.
        var isolation = Environment.GetEnvironmentVariable("BANKCLIENTELE_TEST_ISOLATION") is { Length: > 0 } name ? name : null;
        var vhost = isolation is null ? "bankclientele-test" : $"bankclientele-test-{isolation}";
        var databases = isolation is null ? "bankclientele_test_bench" : $"bankclientele_test_bench_{isolation}";
        var cli = new TestCli();

        // Every queue, exchange and binding it declared is gone at the end.
        var exit = await Bus.BenchLeftovers.AssertNoneLeftAsync(vhost, () => cli.RunAsync("bench", "events", "--events", "600", "--publishers", "3", "--vhost", vhost, "--databases", databases));

        Assert.That(exit, Is.Zero, cli.Error);
        var json = cli.Out.Trim().Split('\n')[^1];
        using var result = JsonDocument.Parse(json);
        var root = result.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("events").GetInt32(), Is.EqualTo(600));
            Assert.That((root.GetProperty("warmup").GetInt32(), root.GetProperty("warmupLost").GetInt64()), Is.EqualTo((60, 0L)),
                "a tenth of the events went through the path first, untimed, and none was lost or doubled");
            Assert.That(root.GetProperty("lost").GetInt64(), Is.Zero);
            Assert.That(root.GetProperty("duplicates").GetInt64(), Is.Zero);
            Assert.That(root.GetProperty("perSecond").GetDouble(), Is.Positive);
            Assert.That(root.GetProperty("rawPerSecond").GetDouble(), Is.Positive);
            Assert.That(root.GetProperty("ratio").GetDouble(), Is.EqualTo(root.GetProperty("perSecond").GetDouble() / root.GetProperty("rawPerSecond").GetDouble()).Within(0.01));
            // Read from the rows' sent_at after the run: after the clock started, and not long after the last effect landed.
            Assert.That(root.GetProperty("sentSeconds").GetDouble(), Is.Positive.And.LessThan(root.GetProperty("seconds").GetDouble() + 1));
        });
    }

    [Test]
    public async Task Bench_events_with_one_message_consumers_small_relay_batches_and_writers_running_counts_every_event_once()
    {
        var isolation = Environment.GetEnvironmentVariable("BANKCLIENTELE_TEST_ISOLATION") is { Length: > 0 } name ? name : null;
        var vhost = isolation is null ? "bankclientele-test" : $"bankclientele-test-{isolation}";
        var databases = isolation is null ? "bankclientele_test_bench" : $"bankclientele_test_bench_{isolation}";
        var cli = new TestCli();

        // Batches of 40 keep two relay batches in flight many times over; the consumer is the one-round-trip one.
        var exit = await Bus.BenchLeftovers.AssertNoneLeftAsync(vhost, () => cli.RunAsync("bench", "events", "--events", "500", "--publishers", "2", "--consumer", "single",
            "--relay-batch", "40", "--write-while-relaying", "--vhost", vhost, "--databases", databases));

        Assert.That(exit, Is.Zero, cli.Error);
        using var result = JsonDocument.Parse(cli.Out.Trim().Split('\n')[^1]);
        var root = result.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("events").GetInt32(), Is.EqualTo(500));
            Assert.That(root.GetProperty("lost").GetInt64(), Is.Zero);
            Assert.That(root.GetProperty("duplicates").GetInt64(), Is.Zero);
            Assert.That(root.GetProperty("consumer").GetString(), Is.EqualTo("single"));
            Assert.That(root.GetProperty("mode").GetString(), Is.EqualTo("concurrent-writers"));
        });
    }

    [Test]
    public async Task Bench_events_rejects_a_bad_event_count_by_name()
    {
        var cli = new TestCli();
        var exit = await cli.RunAsync("bench", "events", "--events", "0");
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(cli.Error, Does.Contain("--events"));
    }
}
