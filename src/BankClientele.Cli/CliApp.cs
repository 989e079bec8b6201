using System.CommandLine;
using BankClientele.Cli.Infrastructure;
using BankClientele.Cli.Migrate;
using BankClientele.Cli.Readiness;
using BankClientele.Cli.Revisits;
using BankClientele.Cli.Seed;
using BankClientele.Cli.Tokens;

namespace BankClientele.Cli;

/// <summary>The command tree of <c>bankclientele</c>.</summary>
public static class CliApp
{
    public static RootCommand Build(CliContext context) =>
        new("bankclientele: the operator's command line of BankClientele (migrations, demo data, staff tokens, readiness). " +
            "Settings come from appsettings.json beside it and environment variables (Auth__SigningKey, ConnectionStrings__<Service>, Services__<Service>).")
        {
            MigrateCommand.Create(context),
            SeedCommand.Create(context),
            TokenCommand.Create(context),
            WaitReadyCommand.Create(context),
            new Command("bench", "Benchmarks, each ending with one JSON line of its figures.") { RevisitsBenchCommand.Create(context) },
        };
}
