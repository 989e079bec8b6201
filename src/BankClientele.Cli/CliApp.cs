using System.CommandLine;
using BankClientele.Cli.Bench;
using BankClientele.Cli.Import;
using BankClientele.Cli.Infrastructure;
using BankClientele.Cli.Migrate;
using BankClientele.Cli.Readiness;
using BankClientele.Cli.Revisits;
using BankClientele.Cli.Seed;
using BankClientele.Cli.Staffing;
using BankClientele.Cli.Tokens;

namespace BankClientele.Cli;

/// <summary>The command tree of <c>bankclientele</c>.</summary>
public static class CliApp
{
    public static RootCommand Build(CliContext context)
    {
        var root = new RootCommand(
            "bankclientele: the operator's command line of BankClientele (migrations, demo data, imports, analytics, benchmarks, staff tokens, readiness). " +
            "Settings come from appsettings.json beside it and environment variables (Auth__PrivateKey, ConnectionStrings__<Service>, Services__<Service>).")
        {
            MigrateCommand.Create(context),
            SeedCommand.Create(context),
            TokenCommand.Create(context),
            WaitReadyCommand.Create(context),
            StaffingCommand.Create(context),
            Clv.ClvCommand.Create(context),
            Uplift.UpliftCommand.Create(context),
            Errors.ErrorsCommand.Create(context),
        };
        // Each feature brings its own imports and benchmarks; they share one command group each.
        root.Add(Group("import", "Imports files into the services (each file is applied whole, or refused with its bad rows by line).",
            Import.ImportCommand.Create(context),
            ProspectsImportCommand.Create(context),
            ImportVisitsCommand.Create(context)));
        root.Add(Group("bench", "Benchmarks: each shows its progress, then ends with one JSON line of its figures.",
            Import.BenchCommand.Create(context),
            Assignment.AssignmentBenchCommand.Create(context),
            RevisitsBenchCommand.Create(context),
            ProspectsBench.Prospects(context),
            ProspectsBench.CampaignFigures(context),
            TrafficBenchCommands.Visits(context),
            TrafficBenchCommands.Profile(context),
            InsightsBench.Create(context),
            Uplift.UpliftBenchCommand.Create(context),
            Bench.BenchCommand.Create(context),
            FaultsBenchCommand.Create(context)));
        return root;
    }

    /// <summary>One command <paramref name="name"/> holding the subcommands of every part (a part named alike gives its subcommands).</summary>
    private static Command Group(string name, string description, params Command[] parts)
    {
        var group = new Command(name, description);
        foreach (var part in parts)
        {
            foreach (var command in part.Name == name ? part.Subcommands.ToList() : [part])
            {
                group.Add(command);
            }
        }
        return group;
    }
}
