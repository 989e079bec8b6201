using BankClientele.Hosting.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace BankClientele.FootTraffic.Profile;

/// <summary>Arrivals of one service type in one local hour of a branch-day, and the time spent serving them.</summary>
public sealed class TrafficHour : IBranchOwned
{
    public required string BranchCode { get; init; }
    public DateOnly Day { get; init; }
    public int Hour { get; init; }
    public required string ServiceType { get; init; }
    public int Arrivals { get; init; }
    /// <summary>Visits whose service start and end are both known; <see cref="HandleSeconds"/> is their total.</summary>
    public int Handled { get; init; }
    public double HandleSeconds { get; init; }
}

/// <summary>
/// A branch-day's visits: all of them, those identified (what Insights is sent), those abandoned, and the
/// waits (issue to call, seconds) sorted, so that a period's median and 90th percentile stay exact.
/// </summary>
public sealed class TrafficDay : IBranchOwned
{
    public required string BranchCode { get; init; }
    public DateOnly Day { get; init; }
    public int Visits { get; init; }
    public int Identified { get; init; }
    public int Abandoned { get; init; }
    public double[] Waits { get; init; } = [];
}

public sealed class TrafficRollupConfiguration : IEntityTypeConfiguration<TrafficHour>, IEntityTypeConfiguration<TrafficDay>
{
    public void Configure(EntityTypeBuilder<TrafficHour> e)
    {
        e.ToTable("traffic_hours");
        e.HasKey(x => new { x.BranchCode, x.Day, x.Hour, x.ServiceType });
        e.Property(x => x.BranchCode).HasMaxLength(20);
        e.Property(x => x.ServiceType).HasMaxLength(40);
    }

    public void Configure(EntityTypeBuilder<TrafficDay> e)
    {
        e.ToTable("traffic_days");
        e.HasKey(x => new { x.BranchCode, x.Day });
        e.Property(x => x.BranchCode).HasMaxLength(20);
    }
}

/// <summary>
/// Keeps the per branch-day and branch-day-hour rollups that the profile, the forecast and the staffing
/// plan read instead of scanning visits. A touched branch-day is recomputed whole from its visits (a
/// day's visits are a few hundred rows, and visits gain events after they arrive, so deltas would not
/// do): set-based for a queue log, inside its transaction; under a per branch-day lock for a live event.
/// </summary>
public static class TrafficRollup
{
    /// <summary>The recompute for the branch-days <paramref name="days"/> (a query giving branch_code, day).</summary>
    public static string RefreshSql(string days) => $"""
        WITH d AS ({days}),
        v AS (
            SELECT v.branch_code, d.day, {HourOf("v.arrived_at")} AS hour, v.service_type,
                   v.customer_id, v.abandoned_at, {HandleOf("v.")} AS handle, {WaitOf("v.")} AS wait
            FROM d JOIN branch_visits v ON v.branch_code = d.branch_code
             AND v.arrived_at >= (d.day::timestamp AT TIME ZONE '{BranchTime.SqlZone}')
             AND v.arrived_at < ((d.day + 1)::timestamp AT TIME ZONE '{BranchTime.SqlZone}')
        ), hours AS (
            INSERT INTO traffic_hours (branch_code, day, hour, service_type, arrivals, handled, handle_seconds)
            SELECT branch_code, day, hour, service_type, count(*), count(handle), COALESCE(sum(handle), 0) FROM v GROUP BY 1, 2, 3, 4
            ON CONFLICT (branch_code, day, hour, service_type) DO UPDATE SET
                arrivals = excluded.arrivals, handled = excluded.handled, handle_seconds = excluded.handle_seconds
            RETURNING 1
        )
        INSERT INTO traffic_days (branch_code, day, visits, identified, abandoned, waits)
        SELECT branch_code, day, count(*), count(customer_id), count(abandoned_at),
               COALESCE(array_agg(wait ORDER BY wait) FILTER (WHERE wait IS NOT NULL), ARRAY[]::float8[])
        FROM v GROUP BY 1, 2
        ON CONFLICT (branch_code, day) DO UPDATE SET
            visits = excluded.visits, identified = excluded.identified, abandoned = excluded.abandoned, waits = excluded.waits
        """;

    /// <summary>
    /// Adds new visits to the rollups: <paramref name="newVisits"/> is a table of visits none of which is
    /// counted yet (branch_code, log_date = the local day of arrived_at, and the visit's columns). Counts and
    /// totals add up; a day's sorted waits are merged with the new ones. Exact as long as the rollups were,
    /// and it reads only the new rows, not the day's other visits. When none of the days is counted yet
    /// (<paramref name="daysCounted"/> false) the rows are plainly inserted, at half the cost of an upsert; a
    /// day counted meanwhile by someone else then fails the insert with a unique violation rather than being lost.
    /// Two statements (each aggregates the table once; a shared CTE would copy every row once more).
    /// </summary>
    public static string AddSql(string newVisits, bool daysCounted) => $"""
        INSERT INTO traffic_hours AS t (branch_code, day, hour, service_type, arrivals, handled, handle_seconds)
        SELECT branch_code, day, hour, service_type, count(*), count(handle), COALESCE(sum(handle), 0)
        FROM (SELECT branch_code, log_date AS day, {HourOf("arrived_at")} AS hour, service_type, {HandleOf("")} AS handle FROM {newVisits}) v
        GROUP BY 1, 2, 3, 4
        {(daysCounted ? """
            ON CONFLICT (branch_code, day, hour, service_type) DO UPDATE SET
                arrivals = t.arrivals + excluded.arrivals, handled = t.handled + excluded.handled,
                handle_seconds = t.handle_seconds + excluded.handle_seconds
            """ : "")};
        INSERT INTO traffic_days AS t (branch_code, day, visits, identified, abandoned, waits)
        SELECT branch_code, day, count(*), count(customer_id), count(abandoned_at),
               COALESCE(array_agg(wait ORDER BY wait) FILTER (WHERE wait IS NOT NULL), ARRAY[]::float8[])
        FROM (SELECT branch_code, log_date AS day, customer_id, abandoned_at, {WaitOf("")} AS wait FROM {newVisits}) v
        GROUP BY 1, 2
        {(daysCounted ? """
            ON CONFLICT (branch_code, day) DO UPDATE SET
                visits = t.visits + excluded.visits, identified = t.identified + excluded.identified,
                abandoned = t.abandoned + excluded.abandoned,
                waits = ARRAY(SELECT w FROM unnest(t.waits || excluded.waits) AS w ORDER BY w)
            """ : "")}
        """;

    // One definition of an hour, a handle time and a wait for the recompute and the increments alike, so
    // that the two agree to the last bit.
    private static string HourOf(string arrivedAt) => $"extract(hour FROM {arrivedAt} AT TIME ZONE '{BranchTime.SqlZone}')::int";
    private static string HandleOf(string v) => $"extract(epoch FROM {v}service_ended_at - {v}service_started_at)::float8";
    private static string WaitOf(string v) => $"extract(epoch FROM COALESCE({v}called_at, {v}service_started_at) - {v}arrived_at)::float8";

    /// <summary>Every branch-day that has visits (for a first fill of the rollups).</summary>
    public const string AllDays = $"SELECT DISTINCT branch_code, (arrived_at AT TIME ZONE '{BranchTime.SqlZone}')::date AS day FROM branch_visits";

    private static readonly string OneDaySql = RefreshSql("SELECT @b::text AS branch_code, @d::date AS day");

    /// <summary>
    /// Saves the context's changes to a visit of <paramref name="branchCode"/> that arrived at <paramref name="arrivedAt"/>
    /// and recomputes its branch-day, in one transaction. The lock makes concurrent recomputes of one
    /// branch-day take turns, each then reading everything committed before it.
    /// </summary>
    public static async Task SaveAndRefreshAsync(FootTrafficDbContext db, string branchCode, DateTimeOffset arrivedAt, CancellationToken ct)
    {
        var day = BranchTime.Day(arrivedAt);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({"traffic:" + branchCode + ":" + day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)}, 0))", ct);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using (var refresh = new NpgsqlCommand(OneDaySql, connection, (NpgsqlTransaction)tx.GetDbTransaction()))
        {
            refresh.Parameters.AddWithValue("b", branchCode);
            refresh.Parameters.AddWithValue("d", day);
            await refresh.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
    }
}
