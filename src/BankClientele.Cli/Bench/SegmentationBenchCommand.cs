using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using BankClientele.Cli.Infrastructure;
using BankClientele.Hosting.Database;
using BankClientele.Insights;
using BankClientele.Insights.Segmentation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Spectre.Console;

namespace BankClientele.Cli.Bench;

/// <summary>
/// <c>bench segmentation --customers N</c>: the nightly segmentation over N generated customers in a
/// scratch Insights database, run twice: the first run segments and publishes everyone, the second
/// (same data) must change and publish nothing. Ends with one JSON line.
/// </summary>
public static class SegmentationBenchCommand
{
    public static Command Create(CliContext context)
    {
        var customers = new Option<int>("--customers") { Description = "How many customers to generate.", HelpName = "N", DefaultValueFactory = _ => 100_000 };
        var snapshots = new Option<int>("--snapshots")
        {
            Description = "Balance days per customer over the year (12: one a month; 52: weekly).",
            DefaultValueFactory = _ => 12,
        };
        var database = new Option<string>("--database")
        {
            Description = "The scratch database (dropped and recreated on the Insights server).",
            DefaultValueFactory = _ => "bankclientele_bench_segmentation",
        };
        var command = new Command("segmentation", "Time the nightly segmentation (RFM, BG/NBD + Gamma-Gamma CLV, lifecycle, events) over N generated customers.")
        {
            customers,
            snapshots,
            database,
        };
        customers.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 100 or > 10_000_000)
            {
                r.AddError("--customers must be between 100 and 10,000,000.");
            }
        });
        snapshots.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 2 or > 365)
            {
                r.AddError("--snapshots must be between 2 and 365.");
            }
        });
        command.SetCliAction(context, (parse, ct) => RunAsync(context, parse.GetValue(customers), parse.GetValue(snapshots), parse.GetValue(database)!, ct));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, int customers, int snapshots, string database, CancellationToken ct)
    {
        var server = new NpgsqlConnectionStringBuilder(context.Settings.ConnectionString(ServiceCatalog.Insights));
        var scratch = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = database, CommandTimeout = 0 }.ConnectionString;
        var asOf = new DateOnly(2026, 11, 28);
        SegmentationResult? first = null, second = null;
        double generateSeconds = 0, scanSeconds = 0;
        long balanceRows = 0;

        await context.Console.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async progress =>
            {
                var prepare = progress.AddTask("Scratch database, migrated", maxValue: 1);
                var generate = progress.AddTask($"{customers:N0} customers, {snapshots} balance days each", maxValue: 3);
                var firstRun = progress.AddTask("Segmentation, first run (everyone new)", maxValue: 1);
                var secondRun = progress.AddTask("Segmentation, second run (nothing changed)", maxValue: 1);
                var baseline = progress.AddTask("Baseline: the balances read out once (binary COPY)", maxValue: 1);

                await using (var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = "postgres" }.ConnectionString))
                {
                    await admin.OpenAsync(ct);
                    await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", admin);
                    await drop.ExecuteNonQueryAsync(ct);
                }
                await using (var db = DatabaseRegistration.CreateContext<InsightsDbContext>(scratch))
                {
                    await db.Database.MigrateAsync(ct);
                }
                prepare.Increment(1);

                var watch = Stopwatch.StartNew();
                await using (var connection = new NpgsqlConnection(scratch))
                {
                    await connection.OpenAsync(ct);
                    foreach (var sql in Generation)
                    {
                        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
                        command.Parameters.AddWithValue("n", customers);
                        command.Parameters.AddWithValue("snapshots", snapshots);
                        command.Parameters.AddWithValue("step", Math.Max(1, 364 / (snapshots - 1)));
                        command.Parameters.AddWithValue("as_of", asOf);
                        var rows = await command.ExecuteNonQueryAsync(ct);
                        if (sql.Contains("INSERT INTO daily_balances", StringComparison.Ordinal))
                        {
                            balanceRows = rows;
                        }
                        generate.Increment(1);
                    }
                }
                generateSeconds = watch.Elapsed.TotalSeconds;

                first = await RunJobAsync(scratch, ct);
                firstRun.Increment(1);
                second = await RunJobAsync(scratch, ct);
                secondRun.Increment(1);
                scanSeconds = await ScanBalancesAsync(scratch, ct);
                baseline.Increment(1);
            });

        context.Note($"As of {first!.AsOf:yyyy-MM-dd}: {first.Customers:N0} customers, {balanceRows:N0} balance rows (generated in {generateSeconds:0.0} s); " +
                     $"model {first.Model} {string.Join(", ", first.Parameters.Select(p => $"{p.Key}={p.Value:G4}"))}.");
        var line = JsonSerializer.Serialize(new
        {
            customers = first.Customers,
            balanceRows,
            firstRun = new { seconds = Math.Round(first.Seconds, 2), updated = first.Updated, published = first.Published, phases = first.PhaseSeconds },
            secondRun = new { seconds = Math.Round(second!.Seconds, 2), updated = second.Updated, published = second.Published, phases = second.PhaseSeconds },
            baselineScanSeconds = Math.Round(scanSeconds, 2),
            firstRunToScan = Math.Round(first.Seconds / scanSeconds, 2),
            secondRunToScan = Math.Round(second.Seconds / scanSeconds, 2),
            model = first.Model,
            parameters = first.Parameters.ToDictionary(p => p.Key, p => Math.Round(p.Value, 4)),
        });
        await context.RawOut.WriteLineAsync(line);
        await context.RawOut.FlushAsync(ct);
        return second.Published == 0 ? ExitCodes.Ok : 1;
    }

    /// <summary>
    /// The baseline, timed in the same process on the same data: every balance row read out once by
    /// binary COPY (the least any computation over the balances must cost), so the ratio says more
    /// than the wall time on a loaded machine.
    /// </summary>
    private static async Task<double> ScanBalancesAsync(string scratch, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(scratch);
        await connection.OpenAsync(ct);
        var watch = Stopwatch.StartNew();
        await using var reader = await connection.BeginBinaryExportAsync("COPY (SELECT customer_id, day, deposit, wealth FROM daily_balances) TO STDOUT (FORMAT BINARY)", ct);
        while (await reader.StartRowAsync(ct) != -1)
        {
            await reader.ReadAsync<Guid>(ct);
            await reader.ReadAsync<DateOnly>(ct);
            await reader.ReadAsync<decimal>(ct);
            await reader.ReadAsync<decimal>(ct);
        }
        return watch.Elapsed.TotalSeconds;
    }

    private static async Task<SegmentationResult> RunJobAsync(string scratch, CancellationToken ct)
    {
        await using var db = DatabaseRegistration.CreateContext<InsightsDbContext>(scratch);
        var job = new SegmentationJob(db, TimeProvider.System, Options.Create(new SegmentationOptions()), NullLogger<SegmentationJob>.Instance);
        return await job.RunAsync(ct);
    }

    /// <summary>
    /// Set-based generation over 100 branches: 10 % of customers joined within the last 60 days
    /// (balances only since), the others more than a year ago. Balances on evenly spaced days up to
    /// the as-of day: 40 % bring money in at every step (active), 20 % stop bringing it in at a
    /// random step (lapsing), 40 % move up and down at random. The key is dropped during the load
    /// and rebuilt after (a sorted build instead of a million random inserts).
    /// </summary>
    private static readonly string[] Generation =
    [
        """
        INSERT INTO analytic_customers (customer_id, customer_number, branch_code, first_seen_at)
        SELECT md5('s' || i)::uuid, 'S' || i, 'B' || lpad((i % 100)::text, 3, '0'),
               CASE WHEN i % 10 = 0 THEN (@as_of - (i % 60))::timestamptz ELSE (@as_of - 400)::timestamptz END
        FROM generate_series(1, @n) i
        """,
        """
        ALTER TABLE daily_balances DROP CONSTRAINT pk_daily_balances;
        INSERT INTO daily_balances (customer_id, day, branch_code, deposit, wealth)
        SELECT md5('s' || i)::uuid, @as_of - k * @step, 'B' || lpad((i % 100)::text, 3, '0'),
               20000 + abs(hashint4(i)) % 100000 + CASE
                   WHEN i % 5 < 2 THEN (@snapshots - k) * 1000 + abs(hashint4(i * 7 + k)) % 800
                   WHEN i % 5 = 2 THEN least(@snapshots - k, abs(hashint4(i)) % @snapshots) * 1000
                   ELSE abs(hashint4(i * 31 + k)) % 5000 END,
               CASE WHEN i % 7 = 0 THEN 50000 ELSE 0 END
        FROM generate_series(1, @n) i CROSS JOIN generate_series(0, @snapshots - 1) k
        WHERE i % 10 <> 0 OR k * @step <= i % 60
        """,
        """
        ALTER TABLE daily_balances ADD CONSTRAINT pk_daily_balances PRIMARY KEY (customer_id, day);
        ANALYZE analytic_customers; ANALYZE daily_balances;
        """,
    ];
}
