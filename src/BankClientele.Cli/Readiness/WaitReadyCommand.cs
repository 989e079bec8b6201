using System.CommandLine;
using BankClientele.Cli.Infrastructure;
using Spectre.Console;

namespace BankClientele.Cli.Readiness;

/// <summary><c>wait-ready</c>: waits until every service and the portal answer /health/ready with 200.</summary>
public static class WaitReadyCommand
{
    public static Command Create(CliContext context)
    {
        var timeout = new Option<int>("--timeout")
        {
            Description = "Seconds to wait in all before giving up (exit 1 naming what is not ready).",
            HelpName = "seconds",
            DefaultValueFactory = _ => 120,
        };
        timeout.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 3600)
            {
                result.AddError("--timeout must be between 1 and 3600 seconds.");
            }
        });
        var service = CommonOptions.Service("Which to wait for; repeat for several (all: the four services and the portal).");
        var command = new Command("wait-ready", "Wait until the services and the portal answer GET /health/ready with 200 (their database and broker are up).")
        {
            timeout,
            service,
        };
        command.SetCliAction(context, async (parse, ct) =>
        {
            var targets = ServiceCatalog.Select(parse.GetValue(service))
                .Select(s => new ReadinessTarget(s, context.Settings.BaseAddress(s)))
                .ToList();
            return await RunAsync(context, targets, TimeSpan.FromSeconds(parse.GetValue(timeout)), ct);
        });
        return command;
    }

    public static async Task<int> RunAsync(CliContext context, IReadOnlyList<ReadinessTarget> targets, TimeSpan timeout, CancellationToken ct)
    {
        using var probe = new ReadinessProbe();
        context.Note($"Waiting up to {timeout.TotalSeconds:0} s for {string.Join(", ", targets.Select(t => t.Service.Key))} to be ready…");
        var lastWaitingFor = "";
        var states = await probe.WaitAsync(targets, timeout, TimeSpan.FromSeconds(1), progress: current =>
        {
            var waitingFor = string.Join(", ", current.Where(s => !s.Ready).Select(s => s.Target.Service.Key));
            if (waitingFor.Length > 0 && waitingFor != lastWaitingFor)
            {
                context.Note($"  not ready yet: {waitingFor}");
            }
            lastWaitingFor = waitingFor;
        }, ct);

        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("Service").AddColumn("Health endpoint").AddColumn("Ready").AddColumn("Answer");
        foreach (var state in states)
        {
            table.AddRow(
                Markup.Escape(state.Target.Service.Key),
                Markup.Escape(state.Target.HealthUri.ToString()),
                state.Ready ? $"[green]yes[/] ({state.ReadyAfter!.Value.TotalSeconds:0.0} s)" : "[red]no[/]",
                Markup.Escape(state.Detail));
        }
        context.Console.Write(table);

        var notReady = states.Where(s => !s.Ready).ToList();
        if (notReady.Count > 0)
        {
            throw new CliException(
                $"Not ready after {timeout.TotalSeconds:0} s: " +
                string.Join("; ", notReady.Select(s => $"{s.Target.Service.Key} ({s.Target.HealthUri}: {s.Detail})")));
        }
        context.Console.MarkupLine("[green]All ready.[/]");
        return ExitCodes.Ok;
    }
}
