using System.Diagnostics;
using System.Text.Json;

namespace BankClientele.Cli.Tests.Bus;

/// <summary>
/// <c>bench faults</c> with every fault, on a server pair of its own (other ports, node and data
/// folder), which it starts and stops: restarting those servers disturbs no other test. The pair runs
/// with the everyday settings (fsync off), so a setting that loses commits in an immediate stop shows
/// here as lost events.
/// </summary>
public sealed class FaultsBenchTests
{
    private static readonly string Isolation = Environment.GetEnvironmentVariable("BANKCLIENTELE_TEST_ISOLATION") is { Length: > 0 } name ? name : "default";

    private static readonly Dictionary<string, string> Pair = new()
    {
        ["BANKCLIENTELE_SERVERS_DATA"] = Path.Combine(Path.GetTempPath(), $"bankclientele-faults-test-{Isolation}"),
        ["BANKCLIENTELE_PG_PORT"] = "57432",
        ["BANKCLIENTELE_AMQP_PORT"] = "57672",
        ["BANKCLIENTELE_RABBIT_DIST_PORT"] = "57679",
        ["BANKCLIENTELE_EPMD_PORT"] = "57369",
        ["BANKCLIENTELE_RABBIT_NODE"] = $"faultstest{Isolation.Replace("-", "", StringComparison.Ordinal)}@localhost",
    };

    [Test]
    public async Task Five_thousand_events_through_every_fault_are_each_applied_once_with_nothing_left_over()
    {
        var saved = Pair.Keys.ToDictionary(k => k, Environment.GetEnvironmentVariable);
        foreach (var (key, value) in Pair)
        {
            Environment.SetEnvironmentVariable(key, value); // servers.sh and the bench read the pair from the environment
        }
        try
        {
            await ServersAsync("start");
            var cli = TestCli.WithSigningKey(); // the services it starts get the public key of this pair

            // The pair's own servers (the environment above); nothing of the run may be left on its virtual host.
            var exit = await BenchLeftovers.AssertNoneLeftAsync("bankclientele-bench",
                () => cli.RunAsync("bench", "faults", "--events", "5000", "--port-base", "5400", "--databases", "faults_test", "--stall-seconds", "120"));

            var json = cli.Out.Trim().Split('\n')[^1];
            Assert.That(exit, Is.Zero, $"{json}\n{cli.Error}");
            using var result = JsonDocument.Parse(json);
            var root = result.RootElement;
            Assert.Multiple(() =>
            {
                Assert.That(root.GetProperty("events").GetInt32(), Is.EqualTo(5000));
                Assert.That(root.GetProperty("lost").GetInt64(), Is.Zero);
                Assert.That(root.GetProperty("duplicates").GetInt64(), Is.Zero);
                Assert.That(root.GetProperty("faults").EnumerateArray().Select(f => f.GetString()),
                    Is.EqualTo(new[] { "broker-restart", "consumer-kill", "postgres-restart", "relay-kill" }));
                Assert.That(root.GetProperty("published").GetInt64(), Is.GreaterThanOrEqualTo(5000), "every event reached the broker at least once");
                Assert.That(root.GetProperty("unsent").GetInt64(), Is.Zero);
                Assert.That(root.GetProperty("queued").GetInt64(), Is.Zero);
                Assert.That(root.GetProperty("errorQueued").GetInt64(), Is.Zero);
                Assert.That(root.GetProperty("seconds").GetDouble(), Is.Positive);
            });
        }
        finally
        {
            await ServersAsync("stop");
            foreach (var (key, value) in saved)
            {
                Environment.SetEnvironmentVariable(key, value);
            }
        }
    }

    [Test]
    public async Task Bench_faults_refuses_servers_it_does_not_run_itself()
    {
        var saved = Environment.GetEnvironmentVariable("BANKCLIENTELE_SERVERS_DATA");
        // A data folder with no servers: the bench must not restart whatever answers on the ports.
        Environment.SetEnvironmentVariable("BANKCLIENTELE_SERVERS_DATA", Path.Combine(Path.GetTempPath(), $"bankclientele-no-servers-{Guid.NewGuid():N}"));
        try
        {
            var cli = new TestCli();
            var exit = await cli.RunAsync("bench", "faults", "--events", "100");
            Assert.That(exit, Is.EqualTo(1));
            Assert.That(cli.Error, Does.Contain("pair is not running"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("BANKCLIENTELE_SERVERS_DATA", saved);
        }
    }

    private static async Task ServersAsync(string command)
    {
        var script = Path.Combine(Checkout(), "deploy", "local", "servers.sh");
        using var process = Process.Start(new ProcessStartInfo(script, [command]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.That(process.ExitCode, Is.Zero, $"servers.sh {command}: {await errors}{await output}");
    }

    private static string Checkout()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BankClientele.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Not inside a checkout.");
    }
}
