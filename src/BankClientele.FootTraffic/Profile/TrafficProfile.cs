using Npgsql;

namespace BankClientele.FootTraffic.Profile;

public sealed record HeatmapCell(int Weekday, int Hour, double AverageArrivals);

public sealed record ServiceTypeProfile(string ServiceType, int Visits, double AverageHandleMinutes);

/// <summary>Arrivals in one local hour of one day (the history the staffing forecast reads).</summary>
public readonly record struct HourlyArrivals(DateOnly Day, int Hour, int Arrivals);

public sealed record WeekTrend(DateOnly WeekStart, int Visits, double WaitMedianMinutes, double WaitP90Minutes, double AbandonmentRate);

/// <summary>
/// A branch's traffic over a period: mean arrivals per open weekday (ISO, 1 = Monday) and local hour, handle
/// time per service type, waiting time (issue to call) median and 90th percentile, abandonment, and the weekly trend.
/// <see cref="Visits"/> counts every visit, identified or anonymous; <see cref="IdentifiedVisits"/> those by a known
/// customer, the only ones published to other services (BranchVisitRecorded).
/// </summary>
public sealed record TrafficProfile(
    string BranchCode, DateOnly From, DateOnly To, int Visits,
    IReadOnlyList<HeatmapCell> Heatmap, IReadOnlyList<ServiceTypeProfile> ServiceTypes,
    double WaitMedianMinutes, double WaitP90Minutes, double AbandonmentRate, IReadOnlyList<WeekTrend> Trend,
    int IdentifiedVisits = 0);

/// <summary>The mean handle time of each service type, and the service mix of each weekday-hour, over a period.</summary>
public sealed record ServiceMix(
    IReadOnlyDictionary<string, double> HandleMinutesByServiceType,
    IReadOnlyDictionary<(int Weekday, int Hour), IReadOnlyDictionary<string, int>> ArrivalsByHour,
    double? OverallHandleMinutes)
{
    /// <summary>
    /// The mean handle time of an hour's arrivals: each service type's handle time weighted by its share of
    /// that weekday-hour's arrivals (the whole period's mix when the hour has no history; service types never
    /// timed count at the overall mean). Null when nothing was ever timed.
    /// </summary>
    public double? HandleMinutes(int weekday, int hour)
    {
        if (OverallHandleMinutes is not { } overall)
        {
            return null;
        }
        var mix = ArrivalsByHour.GetValueOrDefault((weekday, hour));
        IEnumerable<KeyValuePair<string, int>> counts = mix is { Count: > 0 } ? mix : ArrivalsByHour.Values.SelectMany(m => m)
            .GroupBy(kv => kv.Key).Select(g => KeyValuePair.Create(g.Key, g.Sum(kv => kv.Value)));
        double weighted = 0, total = 0;
        foreach (var (type, n) in counts)
        {
            weighted += n * HandleMinutesByServiceType.GetValueOrDefault(type, overall);
            total += n;
        }
        return total == 0 ? overall : weighted / total;
    }
}

/// <summary>
/// Reads the rollups (<see cref="TrafficRollup"/>: a row per branch-day, and per branch-day-hour-service type)
/// rather than the visits: a branch-year is a few hundred day rows and a few thousand hour rows.
/// </summary>
public static class TrafficProfiler
{
    /// <summary>The Monday of the day's week: the weeks of the profile's trend (and of the walk-in funnel).</summary>
    public static DateOnly StartOfWeek(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    public static async Task<TrafficProfile> ProfileAsync(NpgsqlConnection connection, string branchCode, DateOnly from, DateOnly to, CancellationToken ct)
    {
        const string sql = """
            SELECT day, visits, identified, abandoned, waits FROM traffic_days
            WHERE branch_code = @b AND day >= @from AND day < @to AND visits > 0 ORDER BY day;

            SELECT extract(isodow FROM day)::int, hour, sum(arrivals)::int FROM traffic_hours
            WHERE branch_code = @b AND day >= @from AND day < @to GROUP BY 1, 2 ORDER BY 1, 2;

            SELECT service_type, sum(arrivals)::int, COALESCE(sum(handle_seconds) / NULLIF(sum(handled), 0) / 60.0, 0)::float8 FROM traffic_hours
            WHERE branch_code = @b AND day >= @from AND day < @to GROUP BY 1 ORDER BY 2 DESC, 1;
            """;
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("b", branchCode);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        await using var reader = await command.ExecuteReaderAsync(ct);

        var days = new List<(DateOnly Day, int Visits, int Identified, int Abandoned, double[] Waits)>();
        while (await reader.ReadAsync(ct))
        {
            days.Add((reader.GetFieldValue<DateOnly>(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetFieldValue<double[]>(4)));
        }
        await reader.NextResultAsync(ct);
        // Open days only: a weekday's mean is over the days the branch had visitors.
        var openDays = days.GroupBy(d => Weekday(d.Day)).ToDictionary(g => g.Key, g => g.Count());
        var heatmap = new List<HeatmapCell>();
        while (await reader.ReadAsync(ct))
        {
            var weekday = reader.GetInt32(0);
            heatmap.Add(new HeatmapCell(weekday, reader.GetInt32(1), (double)reader.GetInt32(2) / Math.Max(1, openDays.GetValueOrDefault(weekday))));
        }
        await reader.NextResultAsync(ct);
        var services = new List<ServiceTypeProfile>();
        while (await reader.ReadAsync(ct))
        {
            services.Add(new ServiceTypeProfile(reader.GetString(0), reader.GetInt32(1), reader.GetDouble(2)));
        }

        var visits = days.Sum(d => d.Visits);
        var allWaits = Merge(days.Select(d => d.Waits));
        var trend = days.GroupBy(d => StartOfWeek(d.Day)).OrderBy(g => g.Key).Select(g =>
        {
            var waits = Merge(g.Select(d => d.Waits));
            var n = g.Sum(d => d.Visits);
            return new WeekTrend(g.Key, n, Percentile(waits, 0.5) / 60, Percentile(waits, 0.9) / 60, n == 0 ? 0 : (double)g.Sum(d => d.Abandoned) / n);
        }).ToList();
        return new TrafficProfile(branchCode, from, to, visits, heatmap, services,
            Percentile(allWaits, 0.5) / 60, Percentile(allWaits, 0.9) / 60, visits == 0 ? 0 : (double)days.Sum(d => d.Abandoned) / visits, trend,
            days.Sum(d => d.Identified));
    }

    private static int Weekday(DateOnly day) => day.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)day.DayOfWeek;

    private static double[] Merge(IEnumerable<double[]> sorted)
    {
        var all = sorted.SelectMany(w => w).ToArray();
        Array.Sort(all);
        return all;
    }

    /// <summary>As PostgreSQL's percentile_cont: linear interpolation between the order statistics around p·(n−1); 0 when empty.</summary>
    public static double Percentile(double[] sorted, double p)
    {
        if (sorted.Length == 0)
        {
            return 0;
        }
        var position = p * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    /// <summary>Arrivals per local day and hour, for the forecast.</summary>
    public static async Task<List<HourlyArrivals>> HourlyAsync(NpgsqlConnection connection, string branchCode, DateOnly from, DateOnly to, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "SELECT day, hour, sum(arrivals)::int FROM traffic_hours WHERE branch_code = @b AND day >= @from AND day < @to GROUP BY 1, 2", connection);
        command.Parameters.AddWithValue("b", branchCode);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<HourlyArrivals>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new HourlyArrivals(reader.GetFieldValue<DateOnly>(0), reader.GetInt32(1), reader.GetInt32(2)));
        }
        return rows;
    }

    /// <summary>Handle time per service type and the service mix per weekday-hour over the period.</summary>
    public static async Task<ServiceMix> ServiceMixAsync(NpgsqlConnection connection, string branchCode, DateOnly from, DateOnly to, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            SELECT extract(isodow FROM day)::int, hour, service_type, sum(arrivals)::int, sum(handled)::int, sum(handle_seconds)::float8
            FROM traffic_hours WHERE branch_code = @b AND day >= @from AND day < @to GROUP BY 1, 2, 3
            """, connection);
        command.Parameters.AddWithValue("b", branchCode);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var mix = new Dictionary<(int, int), Dictionary<string, int>>();
        var handled = new Dictionary<string, (int N, double Seconds)>();
        while (await reader.ReadAsync(ct))
        {
            var key = (reader.GetInt32(0), reader.GetInt32(1));
            var type = reader.GetString(2);
            if (!mix.TryGetValue(key, out var hour)) { mix[key] = hour = []; }
            hour[type] = reader.GetInt32(3);
            var (n, seconds) = handled.GetValueOrDefault(type);
            handled[type] = (n + reader.GetInt32(4), seconds + reader.GetDouble(5));
        }
        var timed = handled.Where(kv => kv.Value.N > 0).ToDictionary(kv => kv.Key, kv => kv.Value.Seconds / kv.Value.N / 60);
        var totalN = handled.Values.Sum(h => h.N);
        double? overall = totalN == 0 ? null : handled.Values.Sum(h => h.Seconds) / totalN / 60;
        return new ServiceMix(timed, mix.ToDictionary(kv => kv.Key, kv => (IReadOnlyDictionary<string, int>)kv.Value), overall);
    }
}
