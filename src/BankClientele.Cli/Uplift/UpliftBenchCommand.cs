using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using BankClientele.Cli.Infrastructure;
using BankClientele.Hosting.Database;
using BankClientele.Insights;
using BankClientele.Insights.Store;
using BankClientele.Insights.Uplift;
using BankClientele.Hosting.Time;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using Spectre.Console;

namespace BankClientele.Cli.Uplift;

/// <summary>
/// <c>bench uplift --branches B --customers N --days D</c>: the uplift store as its consumers leave it
/// for N customers over B branches and D days (every branch-day split by tier, manager, segment,
/// lifecycle, campaign arm and audience), written with binary COPY into a scratch Insights database;
/// then the dashboard's query (<see cref="DepositUplift.QueryAsync"/>: table and series) for every
/// grouping over four period lengths, as head office and as a branch lead. Ends with one JSON line.
/// </summary>
public static class UpliftBenchCommand
{
    private static readonly string[] Tiers = ["Mass", "Affluent", "Wealth", "HighNetWorth", "PrivateBanking"];
    private static readonly double[] TierShares = [0.55, 0.3, 0.1, 0.04, 0.01];
    private static readonly double[] TierAverage = [20_000, 150_000, 900_000, 3_000_000, 9_000_000];
    private static readonly string[] Segments = ["champions", "loyal", "potential", "at-risk", "hibernating", "new"];
    private static readonly string[] Stages = ["Acquire", "Activate", "Retain", "Convert"];

    public static Command Create(CliContext context)
    {
        var branches = new Option<int>("--branches") { Description = "How many branches.", DefaultValueFactory = _ => 100 };
        var customers = new Option<int>("--customers") { Description = "How many customers in all.", DefaultValueFactory = _ => 1_000_000 };
        var days = new Option<int>("--days") { Description = "Days of balances.", DefaultValueFactory = _ => 365 };
        branches.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 2_000) { r.AddError("--branches must be between 1 and 2,000."); } });
        customers.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 50_000_000) { r.AddError("--customers must be between 1 and 50,000,000."); } });
        days.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 60 or > 1_100) { r.AddError("--days must be between 60 and 1,100."); } });
        var command = new Command("uplift",
            "Time the uplift dashboard's query over a generated store (B branches, N customers, D days) in a scratch database it creates and drops " +
            "(ConnectionStrings:Insights' server).")
        {
            branches, customers, days,
        };
        command.SetCliAction(context, (parse, ct) => RunAsync(context, parse.GetValue(branches), parse.GetValue(customers), parse.GetValue(days), ct));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, int branches, int customers, int days, CancellationToken ct)
    {
        var server = new NpgsqlConnectionStringBuilder(context.Settings.ConnectionString(ServiceCatalog.Insights));
        var scratch = $"bankclientele_bench_{Guid.NewGuid():N}"[..40];
        var admin = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = "postgres", Pooling = false }.ConnectionString;
        var target = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = scratch }.ConnectionString;
        try
        {
            long rows = 0;
            var timings = new List<double>();
            var end = BranchClock.System.Today.AddDays(-1);
            await context.Errors.Progress().AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async progress =>
                {
                    var step = progress.AddTask("create and migrate the scratch database", maxValue: 1);
                    await ExecuteAsync(admin, $"CREATE DATABASE {scratch}", ct);
                    await using (var db = DatabaseRegistration.CreateContext<InsightsDbContext>(target))
                    {
                        await db.Database.MigrateAsync(ct);
                    }
                    step.Value = 1;

                    step = progress.AddTask($"COPY the store of {customers:N0} customers, {branches} branches, {days} days", maxValue: branches);
                    rows = await GenerateAsync(target, branches, customers, days, end, b => step.Value = b, ct);
                    await using (var db = DatabaseRegistration.CreateContext<InsightsDbContext>(target))
                    {
                        // The network totals, as the store's consumers keep them.
                        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
                        await UpliftStore.RecomputeNetworkAsync(db, end.AddDays(-days + 1), end, ct);
                    }
                    await ExecuteAsync(target, "VACUUM ANALYZE daily_group_deposits", ct);
                    rows = await CountAsync(target, ct);

                    var windows = new[] { 28, 90, 182, days / 2 }.Distinct().ToArray();
                    var scopes = new string?[] { null, Branch(0), null, Branch(branches / 2) };
                    var queries = DepositUplift.Groupings.Keys.SelectMany(g => windows.SelectMany(w => scopes.Select(s => (Grouping: g, Window: w, Branch: s)))).ToList();
                    step = progress.AddTask($"{queries.Count} dashboard queries", maxValue: queries.Count);
                    await using var query = DatabaseRegistration.CreateContext<InsightsDbContext>(target);
                    await DepositUplift.QueryAsync(query, "branch", Periods(end, 28), null, ct); // warm-up: connection and plan cache
                    foreach (var (grouping, window, branch) in queries)
                    {
                        var clock = Stopwatch.StartNew();
                        var report = await DepositUplift.QueryAsync(query, grouping, Periods(end, window), branch is null ? null : [branch], ct);
                        timings.Add(clock.Elapsed.TotalMilliseconds);
                        if (report.Rows.Count == 0)
                        {
                            throw new CliException($"The {grouping} query over {window} days found no rows.");
                        }
                        step.Increment(1);
                    }
                });
            timings.Sort();
            context.RawOut.WriteLine(JsonSerializer.Serialize(new
            {
                rows,
                queries = timings.Count,
                p50Milliseconds = Math.Round(Percentile(timings, 0.5), 1),
                p95Milliseconds = Math.Round(Percentile(timings, 0.95), 1),
                maxMilliseconds = Math.Round(timings[^1], 1),
            }));
            return ExitCodes.Ok;
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {scratch} WITH (FORCE)", CancellationToken.None);
        }
    }

    private static UpliftPeriods Periods(DateOnly end, int window) =>
        new(end.AddDays(-window + 1), end, end.AddDays(-2 * window + 1), end.AddDays(-window));

    private static string Branch(int b) => $"B{b + 1:D4}";

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    /// <summary>Every branch-day's grouped rows: customers split by fixed shares, deposits a random walk per group.</summary>
    private static async Task<long> GenerateAsync(string connectionString, int branches, int customers, int days, DateOnly end, Action<int> progress, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        var random = new Random(20261129);
        long rows = 0;
        await using var writer = await connection.BeginBinaryImportAsync(
            "COPY daily_group_deposits (dimension, day, branch_code, group_key, customers, deposit) FROM STDIN (FORMAT BINARY)", ct);
        for (var b = 0; b < branches; b++)
        {
            var branch = Branch(b);
            var perBranch = customers / branches + (b < customers % branches ? 1 : 0);
            var managers = Math.Clamp(perBranch / 500, 1, 40);
            // Each group: dimension, key, customers, average deposit; a campaign reaches one branch in ten.
            var groups = new List<(string Dimension, string Key, int Customers, double Average)>
            {
                ("branch", branch, perBranch, 250_000),
            };
            groups.AddRange(Tiers.Select((t, i) => ("tier", t, (int)(perBranch * TierShares[i]), TierAverage[i])));
            groups.AddRange(Enumerable.Range(1, managers).Select(m => ("manager", $"RM-{branch}-{m:D2}", perBranch / 5 / managers, 1_200_000.0)));
            groups.Add(("manager", $"pool:{branch}", perBranch - perBranch / 5 / managers * managers, 60_000));
            groups.AddRange(Segments.Select(s => ("segment", s, perBranch / Segments.Length, 250_000.0)));
            groups.AddRange(Stages.Select(s => ("lifecycle", s, perBranch / Stages.Length, 250_000.0)));
            var campaign = $"CMP-{b % 10:D2}";
            groups.Add(("campaign", campaign + ":treated", perBranch / 10, 200_000));
            groups.Add(("campaign", campaign + ":holdout", perBranch / 40, 200_000));
            groups.Add(("audience", "campaign", perBranch / 10 + perBranch / 40, 200_000));
            groups.Add(("audience", "none", perBranch - perBranch / 10 - perBranch / 40, 250_000));
            var level = groups.Select(_ => 1.0).ToArray();
            for (var d = days - 1; d >= 0; d--)
            {
                var day = end.AddDays(-d);
                for (var g = 0; g < groups.Count; g++)
                {
                    level[g] *= 1 + (random.NextDouble() - 0.5) * 0.004;
                    var (dimension, key, count, average) = groups[g];
                    await writer.StartRowAsync(ct);
                    await writer.WriteAsync(dimension, NpgsqlDbType.Varchar, ct);
                    await writer.WriteAsync(day, NpgsqlDbType.Date, ct);
                    await writer.WriteAsync(branch, NpgsqlDbType.Varchar, ct);
                    await writer.WriteAsync(key, NpgsqlDbType.Varchar, ct);
                    await writer.WriteAsync(count, NpgsqlDbType.Integer, ct);
                    await writer.WriteAsync(Math.Round((decimal)(count * average * level[g]), 2), NpgsqlDbType.Numeric, ct);
                    rows++;
                }
            }
            progress(b + 1);
        }
        await writer.CompleteAsync(ct);
        return rows;
    }

    private static async Task<long> CountAsync(string connectionString, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM daily_group_deposits", connection);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    private static async Task ExecuteAsync(string connectionString, string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
        await command.ExecuteNonQueryAsync(ct);
    }
}
