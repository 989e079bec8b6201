using BankClientele.FootTraffic.Staffing;
using BankClientele.Hosting.Auth;
using Npgsql;

namespace BankClientele.FootTraffic.Profile;

public sealed record HeatmapCell(int Weekday, int Hour, double AverageArrivals);

public sealed record ServiceTypeProfile(string ServiceType, int Visits, double AverageHandleMinutes);

public sealed record WeekTrend(DateOnly WeekStart, int Visits, double WaitMedianMinutes, double WaitP90Minutes, double AbandonmentRate);

/// <summary>
/// A branch's traffic over a period: mean arrivals per open weekday (ISO, 1 = Monday) and local hour, handle
/// time per service type, waiting time (issue to call) median and 90th percentile, abandonment, and the weekly trend.
/// </summary>
public sealed record TrafficProfile(
    string BranchCode, DateOnly From, DateOnly To, int Visits,
    IReadOnlyList<HeatmapCell> Heatmap, IReadOnlyList<ServiceTypeProfile> ServiceTypes,
    double WaitMedianMinutes, double WaitP90Minutes, double AbandonmentRate, IReadOnlyList<WeekTrend> Trend);

/// <summary>Set-based queries over branch_visits (one round trip, four result sets), on the (branch, arrival) index.</summary>
public static class TrafficProfiler
{
    private const string Wait = "extract(epoch FROM COALESCE(called_at, service_started_at) - arrived_at) / 60.0";

    public static async Task<TrafficProfile> ProfileAsync(NpgsqlConnection connection, string branchCode, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var sql = $"""
            SELECT count(*)::int,
                   COALESCE(percentile_cont(0.5) WITHIN GROUP (ORDER BY {Wait}), 0),
                   COALESCE(percentile_cont(0.9) WITHIN GROUP (ORDER BY {Wait}), 0),
                   COALESCE(avg((abandoned_at IS NOT NULL)::int), 0)
            FROM branch_visits WHERE branch_code = @b AND arrived_at >= @from AND arrived_at < @to;

            WITH v AS (SELECT arrived_at AT TIME ZONE '{BranchTime.SqlZone}' AS local FROM branch_visits
                       WHERE branch_code = @b AND arrived_at >= @from AND arrived_at < @to),
                 -- Open days only: a weekday's mean is over the days the branch had visitors.
                 days AS (SELECT extract(isodow FROM local)::int AS dow, count(DISTINCT local::date) AS n FROM v GROUP BY 1)
            SELECT extract(isodow FROM local)::int AS dow, extract(hour FROM local)::int AS hour,
                   count(*)::float8 / max(days.n) AS mean
            FROM v JOIN days ON days.dow = extract(isodow FROM local)::int
            GROUP BY 1, 2 ORDER BY 1, 2;

            SELECT service_type, count(*)::int,
                   COALESCE(avg(extract(epoch FROM service_ended_at - service_started_at) / 60.0), 0)::float8
            FROM branch_visits WHERE branch_code = @b AND arrived_at >= @from AND arrived_at < @to
            GROUP BY 1 ORDER BY 2 DESC;

            SELECT date_trunc('week', arrived_at AT TIME ZONE '{BranchTime.SqlZone}')::date, count(*)::int,
                   COALESCE(percentile_cont(0.5) WITHIN GROUP (ORDER BY {Wait}), 0),
                   COALESCE(percentile_cont(0.9) WITHIN GROUP (ORDER BY {Wait}), 0),
                   COALESCE(avg((abandoned_at IS NOT NULL)::int), 0)::float8
            FROM branch_visits WHERE branch_code = @b AND arrived_at >= @from AND arrived_at < @to
            GROUP BY 1 ORDER BY 1;
            """;
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("b", branchCode);
        command.Parameters.AddWithValue("from", BranchTime.At(from, 0).ToUniversalTime());
        command.Parameters.AddWithValue("to", BranchTime.At(to, 0).ToUniversalTime());
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var visits = reader.GetInt32(0);
        var median = reader.GetDouble(1);
        var p90 = reader.GetDouble(2);
        var abandonment = Convert.ToDouble(reader.GetValue(3), System.Globalization.CultureInfo.InvariantCulture);
        await reader.NextResultAsync(ct);
        var heatmap = new List<HeatmapCell>();
        while (await reader.ReadAsync(ct))
        {
            heatmap.Add(new HeatmapCell(reader.GetInt32(0), reader.GetInt32(1), reader.GetDouble(2)));
        }
        await reader.NextResultAsync(ct);
        var services = new List<ServiceTypeProfile>();
        while (await reader.ReadAsync(ct))
        {
            services.Add(new ServiceTypeProfile(reader.GetString(0), reader.GetInt32(1), reader.GetDouble(2)));
        }
        await reader.NextResultAsync(ct);
        var trend = new List<WeekTrend>();
        while (await reader.ReadAsync(ct))
        {
            trend.Add(new WeekTrend(DateOnly.FromDateTime(reader.GetDateTime(0)), reader.GetInt32(1), reader.GetDouble(2), reader.GetDouble(3), reader.GetDouble(4)));
        }
        return new TrafficProfile(branchCode, from, to, visits, heatmap, services, median, p90, abandonment, trend);
    }

    /// <summary>Arrivals per local day and hour, for the forecast.</summary>
    public static async Task<List<HourlyArrivals>> HourlyAsync(NpgsqlConnection connection, string branchCode, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var sql = $"""
            SELECT (arrived_at AT TIME ZONE '{BranchTime.SqlZone}')::date, extract(hour FROM arrived_at AT TIME ZONE '{BranchTime.SqlZone}')::int, count(*)::int
            FROM branch_visits WHERE branch_code = @b AND arrived_at >= @from AND arrived_at < @to GROUP BY 1, 2
            """;
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("b", branchCode);
        command.Parameters.AddWithValue("from", BranchTime.At(from, 0).ToUniversalTime());
        command.Parameters.AddWithValue("to", BranchTime.At(to, 0).ToUniversalTime());
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<HourlyArrivals>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new HourlyArrivals(DateOnly.FromDateTime(reader.GetDateTime(0)), reader.GetInt32(1), reader.GetInt32(2)));
        }
        return rows;
    }

    /// <summary>Mean handle time over the period (minutes), or null when no service was timed.</summary>
    public static async Task<double?> HandleMinutesAsync(NpgsqlConnection connection, string branchCode, DateOnly from, DateOnly to, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "SELECT avg(extract(epoch FROM service_ended_at - service_started_at) / 60.0)::float8 FROM branch_visits " +
            "WHERE branch_code = @b AND arrived_at >= @from AND arrived_at < @to AND service_ended_at IS NOT NULL", connection);
        command.Parameters.AddWithValue("b", branchCode);
        command.Parameters.AddWithValue("from", BranchTime.At(from, 0).ToUniversalTime());
        command.Parameters.AddWithValue("to", BranchTime.At(to, 0).ToUniversalTime());
        return await command.ExecuteScalarAsync(ct) is double d ? d : null;
    }
}
