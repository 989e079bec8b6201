using System.CommandLine;
using BankClientele.Cli.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Spectre.Console;

namespace BankClientele.Cli.Migrate;

/// <summary>
/// <c>migrate</c>: applies each service's EF Core migrations to its own database (created when
/// missing), or with <c>--script</c> prints the idempotent SQL a DBA would run instead.
/// </summary>
public static class MigrateCommand
{
    public static Command Create(CliContext context)
    {
        var service = CommonOptions.Service("Which service's database to migrate; repeat for several.");
        var script = new Option<bool>("--script")
        {
            Description = "Print each database's idempotent SQL migration script (safe to run twice) instead of applying it.",
        };
        var output = new Option<DirectoryInfo?>("--output", "-o")
        {
            Description = "With --script: write one <service>.sql per database into this folder instead of printing.",
            HelpName = "folder",
        };
        var command = new Command(
            "migrate",
            "Apply the EF Core migrations of each service to its own PostgreSQL database (ConnectionStrings:<Service>), creating the database if missing.")
        {
            service,
            script,
            output,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(output) is not null && !result.GetValue(script))
            {
                result.AddError("--output is only used with --script.");
            }
        });
        command.SetCliAction(context, async (parse, ct) =>
        {
            var targets = Targets(context, ServiceCatalog.Select(parse.GetValue(service)));
            return parse.GetValue(script)
                ? await ScriptAsync(context, targets, parse.GetValue(output), ct)
                : await ApplyAsync(context, targets, ct);
        });
        return command;
    }

    private static List<MigrationTarget> Targets(CliContext context, IReadOnlyList<ServiceInfo> services)
    {
        var targets = new List<MigrationTarget>();
        foreach (var service in services)
        {
            if (MigrationTargets.For(service) is { } target)
            {
                targets.Add(target);
            }
            else if (services.Count == 1)
            {
                throw new CliException($"This build of the CLI has no migrations for '{service.Key}' (src/BankClientele.Portal was not there when it was built).");
            }
            else
            {
                context.Warn($"Skipping {service.Key}: this build of the CLI does not include it (src/BankClientele.Portal was not there when it was built).");
            }
        }
        return targets;
    }

    private sealed record Outcome(MigrationTarget Target, string Database, bool Created, int Total, int PendingBefore, int Applied, string? Latest, string? Error);

    private static async Task<int> ApplyAsync(CliContext context, IReadOnlyList<MigrationTarget> targets, CancellationToken ct)
    {
        var outcomes = new List<Outcome>();
        foreach (var target in targets)
        {
            var connectionString = context.Settings.ConnectionString(target.Service);
            var database = Describe(connectionString);
            context.Note($"Migrating {target.Service.Key} ({database})…");
            try
            {
                outcomes.Add(await ApplyAsync(target, connectionString, database, ct));
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                outcomes.Add(new Outcome(target, database, false, 0, 0, 0, null, e.Messages()));
            }
        }

        var table = new Table().Border(TableBorder.Rounded).Title("Migrations")
            .AddColumn("Service").AddColumn("Database")
            .AddColumn(new TableColumn("Pending before").RightAligned())
            .AddColumn(new TableColumn("Applied").RightAligned())
            .AddColumn(new TableColumn("Total").RightAligned())
            .AddColumn("Latest").AddColumn("Result");
        foreach (var o in outcomes)
        {
            var result = o.Error is not null ? "[red]failed[/]"
                : o.Applied > 0 ? (o.Created ? "[green]database created, migrated[/]" : "[green]migrated[/]")
                : "[grey]up to date[/]";
            table.AddRow(
                Markup.Escape(o.Target.Service.Key), Markup.Escape(o.Database),
                o.Error is null ? o.PendingBefore.ToString() : "-",
                o.Error is null ? o.Applied.ToString() : "-",
                o.Error is null ? o.Total.ToString() : "-",
                Markup.Escape(o.Latest ?? "-"), result);
        }
        context.Console.Write(table);

        var failed = outcomes.Where(o => o.Error is not null).ToList();
        foreach (var o in failed)
        {
            context.Fail($"{o.Target.Service.Key} ({o.Database}): {o.Error}");
        }
        return failed.Count == 0 ? ExitCodes.Ok : ExitCodes.Failure;
    }

    private static async Task<Outcome> ApplyAsync(MigrationTarget target, string connectionString, string database, CancellationToken ct)
    {
        await using var db = target.CreateContext(connectionString);
        var existed = await db.GetService<IRelationalDatabaseCreator>().ExistsAsync(ct);
        var all = db.Database.GetMigrations().ToList();
        var pendingBefore = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        // Creates the database when missing, then applies what is pending, under EF's migration lock.
        await db.Database.MigrateAsync(ct);
        var pendingAfter = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        var latest = (await db.Database.GetAppliedMigrationsAsync(ct)).LastOrDefault();
        return new Outcome(target, database, !existed, all.Count, pendingBefore.Count, pendingBefore.Count - pendingAfter.Count, latest, null);
    }

    private static async Task<int> ScriptAsync(CliContext context, IReadOnlyList<MigrationTarget> targets, DirectoryInfo? output, CancellationToken ct)
    {
        output?.Create();
        foreach (var target in targets)
        {
            var connectionString = context.Settings.ConnectionString(target.Service);
            var databaseName = new NpgsqlConnectionStringBuilder(connectionString).Database ?? target.Service.DatabaseName;
            await using var db = target.CreateContext(connectionString);
            // Generating needs no connection: the script itself checks the history table.
            var sql = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);
            var header =
                $"""
                -- ================================================================
                -- BankClientele {target.Service.Key}: EF Core migrations, idempotent script
                -- (each migration runs only if __EFMigrationsHistory lacks it; safe to run twice).
                -- Run it against the database {databaseName}, e.g.
                --   psql -v ON_ERROR_STOP=1 -d {databaseName} -f {target.Service.Key}.sql
                -- Migrations: {string.Join(", ", db.Database.GetMigrations())}
                -- ================================================================

                """;
            if (output is null)
            {
                await context.RawOut.WriteAsync(header + sql.TrimEnd() + Environment.NewLine + Environment.NewLine);
            }
            else
            {
                var path = Path.Combine(output.FullName, target.Service.Key + ".sql");
                await File.WriteAllTextAsync(path, header + sql.TrimEnd() + Environment.NewLine, ct);
                context.Note($"Wrote {path}");
            }
        }
        await context.RawOut.FlushAsync(ct);
        return ExitCodes.Ok;
    }

    /// <summary>"name @ host:port" of a connection string, without its credentials.</summary>
    private static string Describe(string connectionString)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            return $"{builder.Database} @ {builder.Host}:{builder.Port}";
        }
        catch (ArgumentException e)
        {
            throw new CliException($"Invalid PostgreSQL connection string: {e.Message}", e);
        }
    }
}
