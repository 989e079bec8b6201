using BankClientele.Hosting.Refusals;
using BankClientele.FootTraffic.Visits;
using BankClientele.Hosting.Auth;
using BankClientele.Hosting.Time;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.FootTraffic.Lobby;

/// <summary>
/// One hour of the branch day (Beijing time) over the period: visits (queue tickets and check-ins),
/// walk-ins identified at the door in that hour, how many of those opened an account since, and their first deposits.
/// </summary>
public sealed record WalkInHour(int Hour, int Visits, int Identified, int Converted, double? IdentifiedRate, double? ConversionRate, decimal InitialDeposits);

/// <summary>One member of staff's walk-ins over the period: identified (at the door and at lobby events), converted, first deposits.</summary>
public sealed record WalkInStaff(string StaffId, int Identified, int AtLobbyEvents, int Converted, double ConversionRate, decimal InitialDeposits,
    double? MedianDaysToConvert);

/// <summary>
/// The walk-in funnel (queue → identified → account) by hour of day, for staffing the door, and by
/// member of staff, for coaching. Walk-ins captured at a lobby event count for their staff member but
/// not in the hour funnel: they did not come through the queue.
/// </summary>
public static class WalkInFunnel
{
    public static async Task<IResult> ByHourAsync(HttpContext http, FootTrafficDbContext db, string? branchCode, int? weeks, CancellationToken ct)
    {
        if (Refused(http, branchCode, weeks) is { } refused)
        {
            return refused;
        }
        var scope = DataScope.Of(http.User);
        var since = Since(weeks);
        var walkIns = await WalkInsAsync(db, scope, branchCode, since, ct);
        var door = walkIns.Where(w => w.LobbyEventId is null).ToList();
        var visits = await VisitsByHourAsync(db, scope, branchCode, since, ct);
        var hours = visits.Keys.Union(door.Select(w => BranchClock.HourOf(w.IdentifiedAt))).Order();
        return TypedResults.Ok(hours.Select(hour =>
        {
            var identified = door.Where(w => BranchClock.HourOf(w.IdentifiedAt) == hour).ToList();
            var converted = identified.Count(w => w.ConvertedCustomerId is not null);
            var seen = visits.GetValueOrDefault(hour);
            return new WalkInHour(hour, seen, identified.Count, converted,
                seen == 0 ? null : Math.Round((double)identified.Count / seen, 4),
                identified.Count == 0 ? null : Math.Round((double)converted / identified.Count, 4),
                identified.Sum(w => w.InitialDeposit ?? 0));
        }).ToList());
    }

    public static async Task<IResult> ByStaffAsync(HttpContext http, FootTrafficDbContext db, string? branchCode, int? weeks, CancellationToken ct)
    {
        if (Refused(http, branchCode, weeks) is { } refused)
        {
            return refused;
        }
        var walkIns = await WalkInsAsync(db, DataScope.Of(http.User), branchCode, Since(weeks), ct);
        return TypedResults.Ok(walkIns
            .GroupBy(w => w.GreeterStaffId ?? "")
            .Select(g =>
            {
                var converted = g.Where(w => w.ConvertedAt is not null).ToList();
                return new WalkInStaff(g.Key, g.Count(), g.Count(w => w.LobbyEventId is not null), converted.Count,
                    Math.Round((double)converted.Count / g.Count(), 4), converted.Sum(w => w.InitialDeposit ?? 0),
                    Median(converted.Select(w => (w.ConvertedAt!.Value - w.IdentifiedAt).TotalDays).ToList()));
            })
            .OrderByDescending(s => s.Converted).ThenByDescending(s => s.Identified).ThenBy(s => s.StaffId, StringComparer.Ordinal)
            .ToList());
    }

    private static IResult? Refused(HttpContext http, string? branchCode, int? weeks)
    {
        if (weeks is < 1 or > 104)
        {
            return TrafficProblems.Invalid("weeks", FieldReasons.OutOfRange, "1 to 104", ("min", 1), ("max", 104));
        }
        return branchCode is not null && !DataScope.Of(http.User).CanSeeBranch(branchCode) ? TrafficProblems.OutOfScope(branchCode, "branchCode") : null;
    }

    private static DateTimeOffset Since(int? weeks) => DateTimeOffset.UtcNow.AddDays(-7 * (weeks ?? 12));

    private static async Task<List<WalkIn>> WalkInsAsync(FootTrafficDbContext db, DataScope scope, string? branchCode, DateTimeOffset since, CancellationToken ct)
    {
        var query = db.WalkIns.AsNoTracking().InBranchesOf(scope).Where(w => w.IdentifiedAt >= since);
        if (branchCode is not null)
        {
            query = query.Where(w => w.BranchCode == branchCode);
        }
        return await query.ToListAsync(ct);
    }

    /// <summary>Arrivals per local hour from the hourly rollup the traffic profile reads (one row per branch, day, hour and service).</summary>
    private static async Task<Dictionary<int, int>> VisitsByHourAsync(FootTrafficDbContext db, DataScope scope, string? branchCode, DateTimeOffset since, CancellationToken ct)
    {
        var firstDay = BranchClock.DayOf(since);
        return await db.TrafficHours.AsNoTracking().InBranchesOf(scope)
            .Where(h => h.Day >= firstDay && (branchCode == null || h.BranchCode == branchCode))
            .GroupBy(h => h.Hour).Select(g => new { Hour = g.Key, Arrivals = g.Sum(h => h.Arrivals) })
            .ToDictionaryAsync(h => h.Hour, h => h.Arrivals, ct);
    }

    private static double? Median(List<double> values)
    {
        if (values.Count == 0)
        {
            return null;
        }
        values.Sort();
        var middle = values.Count / 2;
        return Math.Round(values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2, 1);
    }
}
