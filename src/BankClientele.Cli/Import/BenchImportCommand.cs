using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using BankClientele.Cli.Infrastructure;
using BankClientele.CustomerCare;
using BankClientele.CustomerCare.Feed;
using BankClientele.Hosting.Database;
using BankClientele.Hosting.Privacy;
using BankClientele.Hosting.Time;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using Spectre.Console;

namespace BankClientele.Cli.Import;

/// <summary>
/// <c>bench import-customers --rows N</c>: N synthetic customer rows imported by the feed's own code
/// (read, validated, staged with COPY, merged, evented: <see cref="FeedImporter"/>, without HTTP)
/// into a scratch database, against a plain binary COPY of the same rows into a scratch table timed
/// in the same run. Ends with one JSON line.
/// </summary>
public static class BenchImportCommand
{
    public static Command Create(CliContext context)
    {
        var rows = new Option<int>("--rows") { Description = "How many customer rows.", DefaultValueFactory = _ => 100_000 };
        rows.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 10_000_000)
            {
                r.AddError("--rows must be between 1 and 10,000,000.");
            }
        });
        var command = new Command("import-customers",
            "Time the core-banking customers import (validated, merged, evented) against a plain PostgreSQL binary COPY of the same rows, " +
            "in a scratch database it creates and drops (ConnectionStrings:CustomerCare's server).")
        {
            rows,
        };
        command.SetCliAction(context, (parse, ct) => RunAsync(context, parse.GetValue(rows), ct));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, int rows, CancellationToken ct)
    {
        var server = new NpgsqlConnectionStringBuilder(context.Settings.ConnectionString(ServiceCatalog.CustomerCare));
        var scratch = $"bankclientele_bench_{Guid.NewGuid():N}"[..40];
        var file = Path.Combine(Path.GetTempPath(), $"{scratch}.csv");
        var admin = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = "postgres", Pooling = false }.ConnectionString;
        var target = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = scratch }.ConnectionString;
        try
        {
            double copySeconds = 0, seconds = 0;
            FeedImportResult? result = null;
            await context.Errors.Progress().AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new ElapsedTimeColumn())
                .StartAsync(async progress =>
                {
                    var step = progress.AddTask("write the file, create and migrate the scratch database", maxValue: 1);
                    await WriteFileAsync(file, rows, ct);
                    await ExecuteAsync(admin, $"CREATE DATABASE {scratch}", ct);
                    await using (var db = DatabaseRegistration.CreateContext<CustomerCareDbContext>(target))
                    {
                        await db.Database.MigrateAsync(ct);
                    }
                    step.Value = 1;

                    step = progress.AddTask("plain binary COPY (baseline)", maxValue: 1);
                    copySeconds = await CopyBaselineAsync(target, file, ct);
                    step.Value = 1;

                    step = progress.AddTask("feed import: validate, stage, merge, events", maxValue: 1);
                    await using var dataSource = NpgsqlDataSource.Create(target);
                    var importer = new FeedImporter(dataSource);
                    using var kind = new CustomerFeed(PersonalDataHash.WithRandomKey());
                    var clock = Stopwatch.StartNew();
                    await using (var stream = File.OpenRead(file))
                    {
                        var missing = new List<string>();
                        result = await importer.ImportAsync(kind, FeedSources.ReadCsvAsync(stream, kind.Columns, missing, ct), () => missing, ct);
                    }
                    seconds = clock.Elapsed.TotalSeconds;
                    step.Value = 1;
                });
            if (result!.Inserted != rows || result.Events != rows)
            {
                throw new CliException($"The import did not insert and publish every row: {result}.");
            }
            context.Note($"Phases (s): {string.Join(", ", (result.Phases ?? new Dictionary<string, double>()).Select(p => $"{p.Key} {p.Value:0.00}"))}");
            context.RawOut.WriteLine(JsonSerializer.Serialize(new
            {
                rows,
                seconds = Math.Round(seconds, 3),
                copySeconds = Math.Round(copySeconds, 3),
                ratio = Math.Round(seconds / copySeconds, 2),
            }));
            return ExitCodes.Ok;
        }
        finally
        {
            File.Delete(file);
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {scratch} WITH (FORCE)", CancellationToken.None);
        }
    }

    /// <summary>The baseline: the same file read with the same CSV reader and copied as text into a bare table, nothing else.</summary>
    private static async Task<double> CopyBaselineAsync(string connectionString, string file, CancellationToken ct)
    {
        using var kind = new CustomerFeed(PersonalDataHash.WithRandomKey());
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        var columns = string.Join(", ", kind.Columns);
        await using (var create = new NpgsqlCommand($"CREATE UNLOGGED TABLE copy_baseline ({string.Join(", ", kind.Columns.Select(c => c + " text"))})", connection))
        {
            await create.ExecuteNonQueryAsync(ct);
        }
        var clock = Stopwatch.StartNew();
        await using (var stream = File.OpenRead(file))
        await using (var writer = await connection.BeginBinaryImportAsync($"COPY copy_baseline ({columns}) FROM STDIN (FORMAT BINARY)", ct))
        {
            await foreach (var row in FeedSources.ReadCsvAsync(stream, kind.Columns, [], ct))
            {
                await writer.StartRowAsync(ct);
                for (var i = 0; i < kind.Columns.Count; i++)
                {
                    if (row[i] is { } value)
                    {
                        await writer.WriteAsync(value, NpgsqlDbType.Text, ct);
                    }
                    else
                    {
                        await writer.WriteNullAsync(ct);
                    }
                }
            }
            await writer.CompleteAsync(ct);
        }
        return clock.Elapsed.TotalSeconds;
    }

    private static async Task WriteFileAsync(string path, int rows, CancellationToken ct)
    {
        await using var w = new StreamWriter(path, append: false, new UTF8Encoding(false), 1 << 16);
        await w.WriteLineAsync("customer_number,full_name,gender,birth_date,id_type,id_number,phone,city,district,branch_code,occupation,risk_level,risk_assessed_on,tags");
        var random = new Random(20261123);
        var line = new StringBuilder(200);
        for (var i = 1; i <= rows; i++)
        {
            ct.ThrowIfCancellationRequested();
            var birth = new DateOnly(1950, 1, 1).AddDays(random.Next(0, 365 * 55));
            var body = string.Create(CultureInfo.InvariantCulture, $"{random.Next(110000, 659000)}{birth:yyyyMMdd}{random.Next(100, 999)}");
            var id = body + Seed.DemoPeople.IdCheckCharacter(body);
            line.Clear().Append(CultureInfo.InvariantCulture,
                $"{8_000_000_000L + i},客户{i},{(i % 2 == 0 ? 'F' : 'M')},{birth:yyyy-MM-dd},ID,{id},13{random.Next(100_000_000, 999_999_999)},上海,浦东新区,SH00{1 + i % 3},教师,C{1 + i % 5},2026-0{1 + i % 9}-15,vip");
            await w.WriteLineAsync(line, ct);
        }
    }

    internal static async Task ExecuteAsync(string connectionString, string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }
}

/// <summary><c>bench</c>: the benchmarks, each ending with one JSON line of its figures.</summary>
public static class BenchCommand
{
    public static Command Create(CliContext context) =>
        new("bench", "Benchmarks; each shows progress, then prints one JSON line of its figures.")
        {
            BenchImportCommand.Create(context),
            DemoFeed(context),
        };

    /// <summary>
    /// <c>bench demo-feed</c>: the seed's core-banking base step alone (20,000 customers, holdings and
    /// --balance-days of balances, daily for --daily-days, in --balance-files files by branch imported side by side),
    /// written and imported through customer-care's feed endpoints; or, with --scratch, by the feed's own
    /// code into a scratch database it creates and drops (no service needed), with the seconds of each
    /// step of each import.
    /// </summary>
    private static Command DemoFeed(CliContext context)
    {
        var days = new Option<int>("--balance-days") { Description = "Days of balances.", DefaultValueFactory = _ => Seed.CoreBankingDemo.DefaultBalanceDays };
        var daily = new Option<int>("--daily-days") { Description = "Of which daily (weekly before).", DefaultValueFactory = _ => Seed.CoreBankingDemo.DefaultDailyBalanceDays };
        var files = new Option<int>("--balance-files")
        {
            Description = "Balance files (each of a few branches' customers), imported side by side (as the seed does).",
            DefaultValueFactory = _ => Seed.CoreBankingDemo.BaseBalanceFiles,
        };
        files.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 16)
            {
                r.AddError("--balance-files must be between 1 and 16.");
            }
        });
        var scratch = new Option<bool>("--scratch") { Description = "Import in process into a scratch database instead of through customer-care's API." };
        var command = new Command("demo-feed", "Import the core-banking demo base book through customer-care's feed (as the seed does) and time it.") { days, daily, files, scratch };
        command.SetCliAction(context, async (parse, ct) =>
        {
            var clock = Stopwatch.StartNew();
            var demo = new Seed.CoreBankingDemo(context, BranchClock.System.Today, parse.GetValue(days), parse.GetValue(daily));
            var (results, importSeconds) = parse.GetValue(scratch)
                ? await ScratchDemoFeedAsync(context, demo, parse.GetValue(files), ct)
                : (await demo.ImportAsync("core-banking base feed", 1, Seed.DemoNetwork.CustomerCount, recent: false, ct, parse.GetValue(files)), (double?)null);
            context.RawOut.WriteLine(JsonSerializer.Serialize(new
            {
                balanceDays = parse.GetValue(days),
                dailyDays = parse.GetValue(daily),
                balanceFiles = parse.GetValue(files),
                seconds = Math.Round(clock.Elapsed.TotalSeconds, 1),
                importSeconds = importSeconds is { } s ? Math.Round(s, 1) : (double?)null,
                feeds = results.Select(r => new { r.Feed, r.Rows, r.Inserted, r.Events, seconds = Math.Round(r.Seconds, 1), r.Phases }),
            }));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <returns>Each import's result, and the seconds of the imports alone (the files written before).</returns>
    private static async Task<(IReadOnlyList<FeedImportResult>, double?)> ScratchDemoFeedAsync(CliContext context, Seed.CoreBankingDemo demo, int balanceFiles, CancellationToken ct)
    {
        var server = new NpgsqlConnectionStringBuilder(context.Settings.ConnectionString(ServiceCatalog.CustomerCare));
        var name = $"bankclientele_bench_{Guid.NewGuid():N}"[..40];
        var admin = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = "postgres", Pooling = false }.ConnectionString;
        var target = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = name }.ConnectionString;
        var folder = Directory.CreateTempSubdirectory("bankclientele-demo-feed-");
        try
        {
            var files = await demo.WriteFilesAsync(folder.FullName, 1, Seed.DemoNetwork.CustomerCount, recent: false, ct, balanceFiles);
            await BenchImportCommand.ExecuteAsync(admin, $"CREATE DATABASE {name}", ct);
            await using (var db = DatabaseRegistration.CreateContext<CustomerCareDbContext>(target))
            {
                await db.Database.MigrateAsync(ct);
            }
            await using var dataSource = NpgsqlDataSource.Create(target);
            var importer = new FeedImporter(dataSource);
            async Task<FeedImportResult> ImportAsync(string feed, string path)
            {
                FeedKind kind = feed switch
                {
                    "customers" => new CustomerFeed(PersonalDataHash.WithRandomKey()),
                    "holdings" => new HoldingFeed(PersonalDataHash.WithRandomKey()),
                    _ => new BalanceFeed(new CustomerCare.Tiers.TierCalculator(new CustomerCare.Tiers.TierRules(new CustomerCare.Tiers.TierOptions()))),
                };
                using var disposable = kind as IDisposable;
                await using var stream = File.OpenRead(path);
                var missing = new List<string>();
                var result = await importer.ImportAsync(kind, FeedSources.ReadCsvAsync(stream, kind.Columns, missing, ct), () => missing, ct);
                context.Note($"{feed}: {result.Rows:N0} rows in {result.Seconds:0.0} s {JsonSerializer.Serialize(result.Phases)}");
                return result;
            }
            var clock = Stopwatch.StartNew();
            var results = await Seed.CoreBankingDemo.ImportInOrderAsync(files, recent: false, ImportAsync);
            return (results, clock.Elapsed.TotalSeconds);
        }
        finally
        {
            folder.Delete(recursive: true);
            NpgsqlConnection.ClearAllPools();
            await BenchImportCommand.ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)", CancellationToken.None);
        }
    }
}
