using System.Diagnostics;
using BankClientele.Cli.Infrastructure;
using RabbitMQ.Client;

namespace BankClientele.Cli.Bench;

/// <summary>
/// A virtual host's queues, exchanges and bindings as <c>servers.sh rabbitmqctl</c> lists them (AMQP
/// cannot list them). A bench that runs whole services (which declare queues of their own) takes one
/// before it starts and, at the end, removes whatever is new since: nothing of the run is left.
/// </summary>
public sealed record VirtualHostSnapshot(IReadOnlySet<string> Queues, IReadOnlySet<string> Exchanges, IReadOnlySet<(string Source, string Destination, string Kind, string Key)> Bindings)
{
    public static async Task<VirtualHostSnapshot> TakeAsync(string script, string vhost, CancellationToken ct)
    {
        var queues = Lines(await RabbitCtlAsync(script, ct, "list_queues", "-p", vhost, "name", "--no-table-headers"));
        var exchanges = Lines(await RabbitCtlAsync(script, ct, "list_exchanges", "-p", vhost, "name", "--no-table-headers"));
        var bindings = Lines(await RabbitCtlAsync(script, ct, "list_bindings", "-p", vhost, "source_name", "destination_name", "destination_kind", "routing_key", "--no-table-headers"))
            .Select(line => line.Split('\t'))
            .Where(f => f.Length >= 4 && f[0].Length > 0) // the default exchange's implicit bindings have no source name
            .Select(f => (f[0], f[1], f[2], f[3]))
            .ToHashSet();
        return new VirtualHostSnapshot(queues.Where(q => q.Length > 0).ToHashSet(StringComparer.Ordinal),
            exchanges.Where(e => e.Length > 0 && !e.StartsWith("amq.", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal), bindings);
    }

    /// <summary>What <paramref name="now"/> has that this snapshot had not.</summary>
    public VirtualHostSnapshot Added(VirtualHostSnapshot now) => new(
        now.Queues.Except(Queues).ToHashSet(StringComparer.Ordinal),
        now.Exchanges.Except(Exchanges).ToHashSet(StringComparer.Ordinal),
        now.Bindings.Except(Bindings).ToHashSet());

    public bool IsEmpty => Queues.Count == 0 && Exchanges.Count == 0 && Bindings.Count == 0;

    public override string ToString() =>
        $"queues [{string.Join(", ", Queues)}], exchanges [{string.Join(", ", Exchanges)}], bindings [{string.Join(", ", Bindings.Select(b => $"{b.Source}->{b.Destination}"))}]";

    /// <summary>
    /// Deletes the queues and exchanges added since this snapshot (their bindings go with them) and
    /// unbinds bindings added between entities that were there before.
    /// </summary>
    public async Task RemoveAddedAsync(string script, ConnectionFactory factory, CancellationToken ct)
    {
        var added = Added(await TakeAsync(script, factory.VirtualHost, ct));
        if (added.IsEmpty)
        {
            return;
        }
        await using var connection = await factory.CreateConnectionAsync(ct);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
        foreach (var queue in added.Queues)
        {
            await channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false, cancellationToken: ct);
        }
        foreach (var exchange in added.Exchanges)
        {
            await channel.ExchangeDeleteAsync(exchange, ifUnused: false, cancellationToken: ct);
        }
        foreach (var (source, destination, kind, key) in added.Bindings.Where(b => Exchanges.Contains(b.Source) && (b.Kind == "queue" ? Queues : Exchanges).Contains(b.Destination)))
        {
            if (kind == "queue")
            {
                await channel.QueueUnbindAsync(destination, source, key, cancellationToken: ct);
            }
            else
            {
                await channel.ExchangeUnbindAsync(destination, source, key, cancellationToken: ct);
            }
        }
    }

    private static string[] Lines(string output) => [.. output.Split('\n').Select(line => line.TrimEnd('\r'))];

    /// <summary>rabbitmqctl against the node servers.sh runs (its environment names the pair).</summary>
    public static async Task<string> RabbitCtlAsync(string script, CancellationToken ct, params string[] arguments)
    {
        var psi = new ProcessStartInfo(script, ["rabbitmqctl", .. arguments]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(psi) ?? throw new CliException($"Could not run {script} rabbitmqctl.");
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var errors = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
        {
            throw new CliException($"{script} rabbitmqctl {string.Join(' ', arguments)} failed ({process.ExitCode}): {await errors}{await output}");
        }
        return await output;
    }
}
