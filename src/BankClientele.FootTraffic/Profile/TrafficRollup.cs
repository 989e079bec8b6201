using BankClientele.Hosting.Time;
using BankClientele.Hosting.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

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
             AND v.arrived_at >= (d.day::timestamp AT TIME ZONE '{BranchClock.SqlZone}')
             AND v.arrived_at < ((d.day + 1)::timestamp AT TIME ZONE '{BranchClock.SqlZone}')
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
    /// and it reads only the new rows, not the day's other visits. Two statements (each aggregates the table
    /// once; a shared CTE would copy every row once more).
    /// </summary>
    public static string AddSql(string newVisits) => $"""
        INSERT INTO traffic_hours AS t (branch_code, day, hour, service_type, arrivals, handled, handle_seconds)
        SELECT branch_code, day, hour, service_type, count(*), count(handle), COALESCE(sum(handle), 0)
        FROM (SELECT branch_code, log_date AS day, {HourOf("arrived_at")} AS hour, service_type, {HandleOf("")} AS handle FROM {newVisits}) v
        GROUP BY 1, 2, 3, 4
        ON CONFLICT (branch_code, day, hour, service_type) DO UPDATE SET
            arrivals = t.arrivals + excluded.arrivals, handled = t.handled + excluded.handled,
            handle_seconds = t.handle_seconds + excluded.handle_seconds;
        INSERT INTO traffic_days AS t (branch_code, day, visits, identified, abandoned, waits)
        SELECT branch_code, day, count(*), count(customer_id), count(abandoned_at),
               COALESCE(array_agg(wait ORDER BY wait) FILTER (WHERE wait IS NOT NULL), ARRAY[]::float8[])
        FROM (SELECT branch_code, log_date AS day, customer_id, abandoned_at, {WaitOf("")} AS wait FROM {newVisits}) v
        GROUP BY 1, 2
        ON CONFLICT (branch_code, day) DO UPDATE SET
            visits = t.visits + excluded.visits, identified = t.identified + excluded.identified,
            abandoned = t.abandoned + excluded.abandoned,
            waits = ARRAY(SELECT w FROM unnest(t.waits || excluded.waits) AS w ORDER BY w)
        """;

    // One definition of an hour, a handle time and a wait for the recompute and the increments alike, so
    // that the two agree to the last bit.
    private static string HourOf(string arrivedAt) => $"extract(hour FROM {arrivedAt} AT TIME ZONE '{BranchClock.SqlZone}')::int";
    private static string HandleOf(string v) => $"extract(epoch FROM {v}service_ended_at - {v}service_started_at)::float8";
    private static string WaitOf(string v) => $"extract(epoch FROM COALESCE({v}called_at, {v}service_started_at) - {v}arrived_at)::float8";

    /// <summary>Every branch-day that has visits (for a first fill of the rollups).</summary>
    public const string AllDays = $"SELECT DISTINCT branch_code, (arrived_at AT TIME ZONE '{BranchClock.SqlZone}')::date AS day FROM branch_visits";

    private static readonly string OneDaySql = RefreshSql("SELECT @b::text AS branch_code, @d::date AS day");

    /// <summary>
    /// Saves the context's changes to a visit of <paramref name="branchCode"/> that arrived at <paramref name="arrivedAt"/>
    /// and recomputes its branch-day, in one transaction. The lock makes concurrent recomputes of one
    /// branch-day take turns, each then reading everything committed before it.
    /// </summary>
    public static async Task SaveAndRefreshAsync(FootTrafficDbContext db, string branchCode, DateTimeOffset arrivedAt, CancellationToken ct)
    {
        var day = BranchClock.DayOf(arrivedAt);
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

/// <summary>
/// The rollups of new visits, counted while a queue log is read: the import then writes them with a binary COPY
/// instead of aggregating the staged rows in SQL. For days not counted yet only (an increment to a counted day
/// goes through <see cref="TrafficRollup.AddSql"/>). Hours, handle times and waits are those SQL computes from
/// the stored values (local hour at UTC+8, microseconds as PostgreSQL keeps them), so the rows equal a recompute.
/// </summary>
public sealed class RollupTally
{
    private sealed class Day
    {
        public int Visits, Identified, Abandoned;
        public readonly List<double> Waits = [];
    }

    private sealed class Hour
    {
        public int Arrivals, Handled;
        public double HandleSeconds;
    }

    private readonly Dictionary<(string Branch, DateOnly Day), Day> days = [];
    private readonly Dictionary<(string Branch, DateOnly Day, int Hour, string ServiceType), Hour> hours = [];
    private (string Branch, DateOnly Day) lastKey = ("", default);
    private Day? last;

    public void Add(string branch, DateOnly day, DateTimeOffset arrivedAt, string serviceType, bool identified,
        DateTimeOffset? calledAt, DateTimeOffset? startedAt, DateTimeOffset? endedAt, DateTimeOffset? abandonedAt)
    {
        if (last is null || lastKey.Day != day || !string.Equals(lastKey.Branch, branch, StringComparison.Ordinal))
        {
            lastKey = (branch, day);
            if (!days.TryGetValue(lastKey, out last))
            {
                days[lastKey] = last = new Day();
            }
        }
        last.Visits++;
        if (identified) { last.Identified++; }
        if (abandonedAt is not null) { last.Abandoned++; }
        if ((calledAt ?? startedAt) is { } served) { last.Waits.Add(Seconds(arrivedAt, served)); }

        var key = (branch, day, BranchClock.ToBranchTime(arrivedAt).Hour, serviceType);
        if (!hours.TryGetValue(key, out var hour))
        {
            hours[key] = hour = new Hour();
        }
        hour.Arrivals++;
        if (startedAt is { } start && endedAt is { } end)
        {
            hour.Handled++;
            hour.HandleSeconds += Seconds(start, end);
        }
    }

    /// <summary>Visits identified after they were counted (a phone matched in the directory).</summary>
    public void AddIdentified(string branch, DateOnly day, int visits) => days[(branch, day)].Identified += visits;

    /// <summary>Writes the counts as new rollup rows (a day already there fails with a unique violation).</summary>
    public async Task CopyAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY traffic_days (branch_code, day, visits, identified, abandoned, waits) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var ((branch, day), d) in days)
            {
                d.Waits.Sort();
                copy.StartRow();
                copy.Write(branch, NpgsqlDbType.Varchar);
                copy.Write(day, NpgsqlDbType.Date);
                copy.Write(d.Visits, NpgsqlDbType.Integer);
                copy.Write(d.Identified, NpgsqlDbType.Integer);
                copy.Write(d.Abandoned, NpgsqlDbType.Integer);
                copy.Write(d.Waits.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Double);
            }
            await copy.CompleteAsync(ct);
        }
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY traffic_hours (branch_code, day, hour, service_type, arrivals, handled, handle_seconds) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var ((branch, day, hour, serviceType), h) in hours)
            {
                copy.StartRow();
                copy.Write(branch, NpgsqlDbType.Varchar);
                copy.Write(day, NpgsqlDbType.Date);
                copy.Write(hour, NpgsqlDbType.Integer);
                copy.Write(serviceType, NpgsqlDbType.Varchar);
                copy.Write(h.Arrivals, NpgsqlDbType.Integer);
                copy.Write(h.Handled, NpgsqlDbType.Integer);
                copy.Write(h.HandleSeconds, NpgsqlDbType.Double);
            }
            await copy.CompleteAsync(ct);
        }
    }

    /// <summary>
    /// Seconds between two instants as PostgreSQL's <c>extract(epoch FROM b - a)::float8</c> gives them for the stored
    /// values: whole microseconds (Npgsql drops the last tick digit), their difference divided once, rounded once.
    /// </summary>
    public static double Seconds(DateTimeOffset from, DateTimeOffset to) => (Microseconds(to) - Microseconds(from)) / 1e6;

    private static readonly long PostgresEpochTicks = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;

    private static long Microseconds(DateTimeOffset t) => (t.UtcTicks - PostgresEpochTicks) / 10;
}
