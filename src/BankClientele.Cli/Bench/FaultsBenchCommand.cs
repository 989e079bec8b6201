using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using BankClientele.Cli.Infrastructure;
using BankClientele.Cli.Processes;
using Spectre.Console;

namespace BankClientele.Cli.Bench;

/// <summary><c>bench faults</c>: exactly-once under a broker restart, a killed consumer, a PostgreSQL crash and a killed relay.</summary>
public static class FaultsBenchCommand
{
    public static Command Create(CliContext context)
    {
        var events = new Option<int>("--events", "-n") { Description = "Events to send through the faults.", DefaultValueFactory = _ => 100_000 };
        var portBase = new Option<int>("--port-base") { Description = "HTTP ports of the service processes: base+3 FootTraffic, base+4 Insights, +10 for the second instance.", DefaultValueFactory = _ => 5300 };
        var vhost = new Option<string>("--vhost") { Description = "RabbitMQ virtual host (servers.sh creates bankclientele-bench).", DefaultValueFactory = _ => EventsBenchCommand.DefaultVirtualHost };
        var suffix = new Option<string>("--databases") { Description = "Suffix of the two databases (bankclientele_foottraffic_<suffix>, bankclientele_insights_<suffix>), dropped and created each run.", DefaultValueFactory = _ => "faults" };
        var stall = new Option<int>("--stall-seconds") { Description = "Give up when nothing new is applied for this long (the rest counts as lost).", DefaultValueFactory = _ => 180 };
        var command = new Command("faults",
            "Events from FootTraffic (two processes, two relays) to Insights (a real process) while the broker restarts, the consumer is SIGKILLed, PostgreSQL " +
            "restarts in immediate mode and a relay is SIGKILLed mid-batch; ends with one JSON line and fails when an event was lost or applied twice. " +
            "It restarts the servers that deploy/local/servers.sh manages with the BANKCLIENTELE_SERVERS_DATA, BANKCLIENTELE_PG_PORT, BANKCLIENTELE_AMQP_PORT, ... " +
            "of its environment: run it on a pair of its own.")
        {
            events, portBase, vhost, suffix, stall,
        };
        command.SetCliAction(context, async (parse, ct) =>
        {
            if (parse.GetValue(events) < 10)
            {
                throw new CliException("--events must be at least 10.");
            }
            if (!System.Text.RegularExpressions.Regex.IsMatch(parse.GetValue(suffix)!, "^[a-z0-9_]{1,30}$"))
            {
                throw new CliException("--databases must be lower-case letters, digits and underscores (at most 30).");
            }
            var script = ServersScript();
            // Only servers this script runs itself may be restarted: never a pair someone else started.
            if (!await StatusOkAsync(script, ct))
            {
                throw new CliException($"bench faults restarts its servers, and {script} status says its pair is not running. Start a pair of its own first, e.g. " +
                    "BANKCLIENTELE_SERVERS_DATA=/tmp/faults BANKCLIENTELE_PG_PORT=56432 BANKCLIENTELE_AMQP_PORT=56672 BANKCLIENTELE_RABBIT_DIST_PORT=56679 " +
                    "BANKCLIENTELE_EPMD_PORT=56369 BANKCLIENTELE_RABBIT_NODE=faults@localhost deploy/local/servers.sh start (and the same variables for this command).");
            }
            var pgPort = Port("BANKCLIENTELE_PG_PORT", 55432);
            var amqpPort = Port("BANKCLIENTELE_AMQP_PORT", 55672);
            var placement = new SystemPlacement($"Host=127.0.0.1;Port={pgPort};Username=bankclientele;Password=bankclientele;Database=postgres;Timeout=5",
                "127.0.0.1", amqpPort, parse.GetValue(vhost)!, parse.GetValue(suffix)!, parse.GetValue(portBase),
                context.Settings.StaffTokenOptions().GetValidationKey().ECDsa.ExportSubjectPublicKeyInfoPem(),
                Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)));
            var logs = Path.Combine(Path.GetTempPath(), $"bankclientele-faults-{Environment.ProcessId}");
            var options = new FaultsBenchOptions(parse.GetValue(events), placement, script, ServiceProcesses.LocateServices(), logs, TimeSpan.FromSeconds(parse.GetValue(stall)));
            var result = await context.Errors.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async progress =>
                {
                    var applied = progress.AddTask("applied", maxValue: options.Events);
                    return await FaultsBench.RunAsync(options, new Progress<(string Stage, long Done)>(p =>
                    {
                        if (p.Stage == "applied")
                        {
                            applied.Value = p.Done;
                        }
                        else
                        {
                            applied.Description = p.Stage;
                        }
                    }), ct);
                });
            context.Note($"{FaultsBench.Describe(result)}; service logs in {logs}");
            context.RawOut.WriteLine(JsonSerializer.Serialize(new { result.Events, result.Lost, result.Duplicates, result.Faults, result.Seconds, result.Published, result.Unsent, result.Queued, result.ErrorQueued }, BenchJson.Options));
            var clean = result is { Lost: 0, Duplicates: 0, Unsent: 0, Queued: 0, ErrorQueued: 0 } && result.Faults.Count == FaultsBench.FaultNames.Length;
            return clean ? ExitCodes.Ok : ExitCodes.Failure;
        });
        return command;
    }

    private static int Port(string variable, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? port : fallback;

    private static string ServersScript()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var script = Path.Combine(dir.FullName, "deploy", "local", "servers.sh");
            if (File.Exists(script))
            {
                return script;
            }
        }
        throw new CliException("deploy/local/servers.sh not found above the CLI's folder: run bench faults from a checkout.");
    }

    private static async Task<bool> StatusOkAsync(string script, CancellationToken ct)
    {
        using var process = Process.Start(new ProcessStartInfo(script, ["status"]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
        await process.StandardOutput.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return process.ExitCode == 0;
    }
}
