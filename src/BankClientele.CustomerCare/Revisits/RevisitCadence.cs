using Npgsql;

namespace BankClientele.CustomerCare.Revisits;

/// <summary>One tier's regular cadence: its days between visits, and the shortened days for a customer at risk.</summary>
public sealed record RevisitCadence(string Tier, int Days, int AtRiskDays)
{
    /// <summary>
    /// The cadence by tier, computed from the one definition (<see cref="RevisitRules.Cadence"/>): the
    /// nightly pass and the segment consumer read it as arrays (<see cref="Parameters"/>), never
    /// writing the rule again in SQL. Tiers without a cadence (Mass) are absent.
    /// </summary>
    public static IReadOnlyList<RevisitCadence> Table(RevisitOptions options) =>
    [
        .. options.CadenceDays.Keys
            .Where(tier => RevisitRules.Cadence(options, tier, atRisk: false) is not null)
            .OrderBy(tier => tier, StringComparer.Ordinal)
            .Select(tier => new RevisitCadence(tier, RevisitRules.Cadence(options, tier, atRisk: false)!.Value, RevisitRules.Cadence(options, tier, atRisk: true)!.Value)),
    ];

    /// <summary>
    /// The table as SQL parameters <c>@cadence_tiers</c>, <c>@cadence_days</c> and <c>@cadence_risk_days</c>:
    /// <c>unnest(@cadence_tiers::text[], @cadence_days::int[], @cadence_risk_days::int[]) AS t(tier, days, at_risk_days)</c>.
    /// </summary>
    public static NpgsqlParameter[] Parameters(RevisitOptions options)
    {
        var table = Table(options);
        return
        [
            new NpgsqlParameter("cadence_tiers", table.Select(c => c.Tier).ToArray()),
            new NpgsqlParameter("cadence_days", table.Select(c => c.Days).ToArray()),
            new NpgsqlParameter("cadence_risk_days", table.Select(c => c.AtRiskDays).ToArray()),
        ];
    }

    /// <summary>The SQL row source of the table (see <see cref="Parameters"/>).</summary>
    public const string Sql = "unnest(@cadence_tiers::text[], @cadence_days::int[], @cadence_risk_days::int[]) AS t(tier, days, at_risk_days)";
}
