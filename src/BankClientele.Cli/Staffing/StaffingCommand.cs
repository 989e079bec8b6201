using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using BankClientele.Cli.Infrastructure;
using BankClientele.FootTraffic.Staffing;
using BankClientele.Hosting.Auth;
using Spectre.Console;

namespace BankClientele.Cli.Staffing;

/// <summary><c>staffing erlang-c</c> (the queueing model on its own) and <c>staffing plan</c> (a branch's week, from foot-traffic).</summary>
public static class StaffingCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static Command Create(CliContext context) =>
        new("staffing", "Counters needed at a branch: the Erlang C model, and a week's plan against the roster.")
        {
            ErlangCCommand(context),
            PlanCommand(context),
        };

    private static Option<double> Number(string name, string description, double min, double max, double? defaultValue = null)
    {
        var option = new Option<double>(name) { Description = description, Required = defaultValue is null };
        if (defaultValue is { } d)
        {
            option.DefaultValueFactory = _ => d;
        }
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() is var v && (v < min || v > max || double.IsNaN(v)))
            {
                r.AddError($"{name} must be between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}.");
            }
        });
        return option;
    }

    private static Command ErlangCCommand(CliContext context)
    {
        var arrivals = Number("--arrivals-per-hour", "Arrivals an hour.", 0, 100_000);
        var handle = Number("--handle-minutes", "Mean handle time in minutes.", 0.01, 600);
        var target = Number("--target-wait-seconds", "The wait the service level counts against (seconds).", 0, 7200, 600);
        var level = Number("--service-level", "Share of arrivals to be served within the target wait (0-1, exclusive).", 0.0001, 0.9999, 0.8);
        var command = new Command("erlang-c", "The fewest counters that meet a service level (Erlang C), as one JSON line: agents, serviceLevel, averageWaitSeconds, occupancy.")
        {
            arrivals, handle, target, level,
        };
        command.SetCliAction(context, (parse, _) =>
        {
            var result = ErlangC.FewestAgents(parse.GetValue(arrivals), parse.GetValue(handle), parse.GetValue(target), parse.GetValue(level));
            context.RawOut.WriteLine(JsonSerializer.Serialize(new
            {
                agents = result.Agents,
                serviceLevel = Math.Round(result.ServiceLevel, 6),
                averageWaitSeconds = Math.Round(result.AverageWaitSeconds, 3),
                occupancy = Math.Round(result.Occupancy, 6),
            }));
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    private static Command PlanCommand(CliContext context)
    {
        var branch = new Option<string>("--branch") { Description = "Branch code, e.g. SH001.", Required = true, HelpName = "code" };
        var week = new Option<string>("--week") { Description = "ISO week, e.g. 2026-W49.", Required = true, HelpName = "YYYY-Www" };
        week.Validators.Add(r =>
        {
            if (!StaffingEndpointsWeek(r.GetValueOrDefault<string>()))
            {
                r.AddError("--week must be an ISO week such as 2026-W49.");
            }
        });
        var json = new Option<bool>("--json") { Description = "Print the plan as one JSON document instead of a table." };
        var command = new Command("plan", "A branch's staffing plan for a week from foot-traffic: forecast arrivals, counters needed (Erlang C) against the roster, per hour.")
        {
            branch, week, json,
        };
        command.SetCliAction(context, async (parse, ct) =>
        {
            var admin = Seed.DemoNetwork.Administrator;
            var token = context.Settings.TokenIssuer().Issue(new StaffIdentity(admin.StaffId, admin.DisplayName, StaffRoles.Administrator, null), ServiceCatalog.FootTraffic.Audience);
            using var client = new ServiceClient(ServiceCatalog.FootTraffic, context.Settings.BaseAddress(ServiceCatalog.FootTraffic), token);
            var path = $"/api/traffic/staffing-plan?branchCode={Uri.EscapeDataString(parse.GetValue(branch)!)}&week={Uri.EscapeDataString(parse.GetValue(week)!)}";
            var plan = await client.GetAsync<StaffingPlan>(path, ct);
            if (parse.GetValue(json))
            {
                context.RawOut.WriteLine(JsonSerializer.Serialize(plan, Json));
                return ExitCodes.Ok;
            }
            Print(context, plan);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static bool StaffingEndpointsWeek(string? week) => FootTraffic.Staffing.StaffingEndpoints.TryParseWeek(week, out _);

    private static void Print(CliContext context, StaffingPlan plan)
    {
        var hours = plan.Hours.Select(h => h.Hour).Distinct().Order().ToList();
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"{Markup.Escape(plan.BranchCode)} {plan.Week}: counters needed/rostered (service level {plan.ServiceLevelTarget:P0} within {plan.TargetWaitSeconds} s, handle {plan.HandleMinutes:0.0} min)")
            .AddColumn("Day");
        foreach (var hour in hours)
        {
            table.AddColumn(new TableColumn($"{hour:00}").RightAligned());
        }
        foreach (var day in plan.Hours.GroupBy(h => h.Day))
        {
            var cells = new List<string> { day.Key.ToString("yyyy-MM-dd ddd", CultureInfo.InvariantCulture) };
            foreach (var hour in hours)
            {
                var h = day.FirstOrDefault(x => x.Hour == hour);
                cells.Add(h is null ? "" : h.Status switch
                {
                    StaffingPlanner.Under => $"[red]{h.RequiredCounters}/{h.RosteredCounters}[/]",
                    StaffingPlanner.Over => $"[yellow]{h.RequiredCounters}/{h.RosteredCounters}[/]",
                    _ => $"{h.RequiredCounters}/{h.RosteredCounters}",
                });
            }
            table.AddRow([.. cells]);
        }
        context.Console.Write(table);
        context.Console.MarkupLine(
            $"[red]{plan.UnderstaffedHours} under-staffed[/] and [yellow]{plan.OverstaffedHours} over-staffed[/] hours; " +
            $"forecast error on the held-out week {plan.Forecast.HeldOutWeek:yyyy-MM-dd}: {plan.Forecast.HeldOutWeightedPercentError:P1} " +
            $"(mean absolute {plan.Forecast.HeldOutMeanAbsoluteError:0.0} arrivals an hour).");
    }
}
