using BankClientele.Cli.Bench;

namespace BankClientele.Cli.Tests.Bus;

/// <summary>What a bench leaves on its virtual host, listed with rabbitmqctl through servers.sh (the environment names the server pair).</summary>
public static class BenchLeftovers
{
    public static string ServersScript()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BankClientele.sln")))
            {
                return Path.Combine(dir.FullName, "deploy", "local", "servers.sh");
            }
        }
        throw new InvalidOperationException("Not inside a checkout.");
    }

    /// <summary>Runs the bench, then asserts the virtual host holds no queue, exchange, binding or policy it did not hold before.</summary>
    public static async Task<T> AssertNoneLeftAsync<T>(string vhost, Func<Task<T>> bench)
    {
        var script = ServersScript();
        var before = await VirtualHostSnapshot.TakeAsync(script, vhost, CancellationToken.None);
        var result = await bench();
        var after = await VirtualHostSnapshot.TakeAsync(script, vhost, CancellationToken.None);
        var added = before.Added(after);
        var policies = await VirtualHostSnapshot.RabbitCtlAsync(script, CancellationToken.None, "list_policies", "-p", vhost, "--no-table-headers");
        Assert.Multiple(() =>
        {
            Assert.That(added.IsEmpty, Is.True, $"the bench left on {vhost}: {added}");
            // Whatever an earlier run may have left: the benches' own names (bench-sink-*, bench-raw-baseline, bench-faults-tap) are gone.
            Assert.That(after.Queues.Concat(after.Exchanges).Where(name => name.StartsWith("bench-", StringComparison.Ordinal)), Is.Empty);
            Assert.That(policies, Does.Not.Contain(FaultsBench.BoundPolicy), "the bench's bounding policy is cleared");
        });
        return result;
    }
}
