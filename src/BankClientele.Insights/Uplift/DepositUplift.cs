using System.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace BankClientele.Insights.Uplift;

/// <summary>A period and the baseline it is compared with (inclusive days).</summary>
public sealed record UpliftPeriods(DateOnly From, DateOnly To, DateOnly BaselineFrom, DateOnly BaselineTo);

/// <summary>
/// One group's deposits in the period against the baseline: the average daily deposit balance
/// (the group's total, and per customer) and the net new deposits (the total on the period's last
/// day with balances minus that on its first).
/// </summary>
public sealed record UpliftRow(
    string Group,
    int Customers,
    decimal BaselineAverageDeposit,
    decimal AverageDeposit,
    decimal Change,
    double? ChangePercent,
    decimal BaselineAveragePerCustomer,
    decimal AveragePerCustomer,
    decimal ChangePerCustomer,
    decimal BaselineNetNewDeposits,
    decimal NetNewDeposits,
    int BaselineDays,
    int Days);

/// <summary>A group's total deposit balance on one day (the time series).</summary>
public sealed record UpliftPoint(string Group, DateOnly Day, int Customers, decimal Deposit);

public sealed record DepositUpliftReport(string GroupBy, UpliftPeriods Periods, IReadOnlyList<UpliftRow> Rows, IReadOnlyList<UpliftPoint> Series);

/// <summary>One group's sums over the days of one period, as the store's query returns them.</summary>
public sealed record PeriodSummary(string Group, bool InPeriod, int Days, decimal AverageDeposit, decimal AveragePerCustomer, decimal FirstDeposit, decimal LastDeposit, int LastCustomers);

/// <summary>A group's deposits on one day (summed over branches).</summary>
public readonly record struct GroupDay(string Group, DateOnly Day, int Customers, decimal Deposit);

/// <summary>
/// Deposit uplift by group over <c>daily_group_deposits</c>: one pass summarising each group in the
/// period and the baseline (in PostgreSQL, over an index range of the dimension's rows), and one
/// for the daily series of the largest groups.
/// </summary>
public static class DepositUplift
{
    /// <summary>The groupings offered, and the store dimension each reads.</summary>
    public static readonly IReadOnlyDictionary<string, string> Groupings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["branch"] = "branch",
        ["tier"] = "tier",
        ["manager"] = "manager",
        ["segment"] = "segment",
        ["lifecycle"] = "lifecycle",
        ["campaign"] = "campaign",
    };

    public const int SeriesGroups = 8;

    public static async Task<DepositUpliftReport> QueryAsync(InsightsDbContext db, string groupBy, UpliftPeriods p, string[]? branches, CancellationToken ct)
    {
        var dimension = Groupings[groupBy];
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        if (connection.State != ConnectionState.Open)
        {
            await connection.OpenAsync(ct);
        }
        // A branch lead reads their branch's rows (a region head their branches'); head office the network
        // totals of dimensions whose groups span branches, and every branch's rows of those whose groups belong to one branch.
        var branchFilter = branches is not null ? "AND branch_code = ANY(@branches)"
            : Store.UpliftStore.SharedDimensions.Contains(dimension) ? $"AND branch_code = '{Store.UpliftStore.Network}'"
            : $"AND branch_code <> '{Store.UpliftStore.Network}'";
        await using (var jit = new NpgsqlCommand("SET jit = off", connection))
        {
            // These plans are short; compiling them costs more than it saves.
            await jit.ExecuteNonQueryAsync(ct);
        }
        var summaries = new List<PeriodSummary>();
        var branchOfGroup = new Dictionary<string, string>(StringComparer.Ordinal);
        // One row per group and day, so one aggregation per group and period; the first and last
        // days' totals are then read by primary key.
        await using (var command = new NpgsqlCommand($"""
            WITH s AS (
                SELECT group_key, min(branch_code) AS branch_code, day BETWEEN @from AND @to AS in_period, count(*)::int AS days,
                       avg(deposit) AS average, avg(deposit / nullif(customers, 0)) AS per_customer, min(day) AS first_day, max(day) AS last_day
                FROM daily_group_deposits
                WHERE dimension = @dimension {branchFilter}
                  AND (day BETWEEN @from AND @to OR day BETWEEN @baseline_from AND @baseline_to)
                GROUP BY group_key, in_period)
            SELECT s.group_key, s.in_period, s.days, s.average, s.per_customer, f.deposit, l.deposit, l.customers, s.branch_code
            FROM s
            JOIN daily_group_deposits f ON f.dimension = @dimension AND f.day = s.first_day AND f.branch_code = s.branch_code AND f.group_key = s.group_key
            JOIN daily_group_deposits l ON l.dimension = @dimension AND l.day = s.last_day AND l.branch_code = s.branch_code AND l.group_key = s.group_key
            """, connection))
        {
            AddParameters(command, dimension, p, branches);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                summaries.Add(new PeriodSummary(reader.GetString(0), reader.GetBoolean(1), reader.GetInt32(2), reader.GetDecimal(3),
                    reader.IsDBNull(4) ? 0 : reader.GetDecimal(4), reader.GetDecimal(5), reader.GetDecimal(6), reader.GetInt32(7)));
                branchOfGroup[reader.GetString(0)] = reader.GetString(8);
            }
        }
        var rows = Rows(summaries);
        var top = rows.OrderByDescending(r => r.AverageDeposit).Take(SeriesGroups).Select(r => r.Group).ToArray();
        var series = new List<UpliftPoint>();
        if (top.Length > 0)
        {
            await using var command = new NpgsqlCommand($"""
                SELECT group_key, day, customers, deposit
                FROM daily_group_deposits
                WHERE dimension = @dimension AND branch_code = ANY(@group_branches) AND group_key = ANY(@groups)
                  AND (day BETWEEN @from AND @to OR day BETWEEN @baseline_from AND @baseline_to)
                ORDER BY 1, 2
                """, connection);
            AddParameters(command, dimension, p, branches);
            command.Parameters.AddWithValue("groups", top);
            // The groups' branches (or the network's) narrow the read to their rows by the branch-day index.
            command.Parameters.AddWithValue("group_branches", top.Select(g => branchOfGroup[g]).Distinct().ToArray());
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                series.Add(new UpliftPoint(reader.GetString(0), reader.GetFieldValue<DateOnly>(1), reader.GetInt32(2), reader.GetDecimal(3)));
            }
        }
        return new DepositUpliftReport(groupBy.ToLowerInvariant(), p, rows, series);
    }

    /// <summary>The latest day with balances in the store (in the branch, if given), or null when it is empty.</summary>
    public static async Task<DateOnly?> LatestDayAsync(InsightsDbContext db, string[]? branches, CancellationToken ct) =>
        branches is null
            ? await db.Set<Store.DailyGroupDeposits>().Where(d => d.Dimension == "branch").MaxAsync(d => (DateOnly?)d.Day, ct)
            : await db.Set<Store.DailyGroupDeposits>().Where(d => d.Dimension == "branch" && branches.Contains(d.BranchCode)).MaxAsync(d => (DateOnly?)d.Day, ct);

    /// <summary>The same summaries computed in memory from daily group sums (for data that is not in a store, e.g. the demo's files).</summary>
    public static IReadOnlyList<UpliftRow> Summarise(IEnumerable<GroupDay> days, UpliftPeriods p) =>
        Rows(days.Where(d => In(d.Day, p.From, p.To) || In(d.Day, p.BaselineFrom, p.BaselineTo))
            .GroupBy(d => (d.Group, InPeriod: In(d.Day, p.From, p.To)))
            .Select(g =>
            {
                var ordered = g.OrderBy(d => d.Day).ToList();
                return new PeriodSummary(g.Key.Group, g.Key.InPeriod, ordered.Count, ordered.Average(d => d.Deposit),
                    ordered.Where(d => d.Customers > 0).Select(d => d.Deposit / d.Customers).DefaultIfEmpty().Average(),
                    ordered[0].Deposit, ordered[^1].Deposit, ordered[^1].Customers);
            })
            .ToList());

    private static bool In(DateOnly day, DateOnly from, DateOnly to) => day >= from && day <= to;

    private static List<UpliftRow> Rows(IEnumerable<PeriodSummary> summaries) =>
        summaries.GroupBy(s => s.Group)
            .Select(g =>
            {
                var period = g.FirstOrDefault(s => s.InPeriod);
                var baseline = g.FirstOrDefault(s => !s.InPeriod);
                var average = period?.AverageDeposit ?? 0;
                var baselineAverage = baseline?.AverageDeposit ?? 0;
                var perCustomer = period?.AveragePerCustomer ?? 0;
                var baselinePerCustomer = baseline?.AveragePerCustomer ?? 0;
                return new UpliftRow(
                    g.Key,
                    period?.LastCustomers ?? 0,
                    Math.Round(baselineAverage, 2),
                    Math.Round(average, 2),
                    Math.Round(average - baselineAverage, 2),
                    baselineAverage == 0 ? null : Math.Round((double)((average - baselineAverage) / baselineAverage) * 100, 2),
                    Math.Round(baselinePerCustomer, 2),
                    Math.Round(perCustomer, 2),
                    Math.Round(perCustomer - baselinePerCustomer, 2),
                    baseline is null ? 0 : baseline.LastDeposit - baseline.FirstDeposit,
                    period is null ? 0 : period.LastDeposit - period.FirstDeposit,
                    baseline?.Days ?? 0,
                    period?.Days ?? 0);
            })
            .OrderBy(r => r.Group, StringComparer.Ordinal)
            .ToList();

    private static void AddParameters(NpgsqlCommand command, string dimension, UpliftPeriods p, string[]? branches)
    {
        command.Parameters.AddWithValue("dimension", dimension);
        command.Parameters.AddWithValue("from", p.From);
        command.Parameters.AddWithValue("to", p.To);
        command.Parameters.AddWithValue("baseline_from", p.BaselineFrom);
        command.Parameters.AddWithValue("baseline_to", p.BaselineTo);
        if (branches is not null)
        {
            command.Parameters.AddWithValue("branches", branches);
        }
    }
}
