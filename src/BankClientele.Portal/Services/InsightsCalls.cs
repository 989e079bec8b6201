namespace BankClientele.Portal.Services;

public sealed record EffectIntervalRow(double Att, double StandardError, double CiLow, double CiHigh);

public sealed record CampaignEffectRow(
    string CampaignCode,
    int TreatedCustomers,
    int ControlCustomers,
    int PreDays,
    int PostDays,
    EffectIntervalRow DifferenceInDifferences,
    string Method,
    EffectIntervalRow Cuped,
    double CupedTheta,
    EffectIntervalRow PreTrend,
    bool PreTrendCoversZero,
    double MinimumDetectableEffect);

/// <summary>Calls to Insights for the head-office pages.</summary>
public static class InsightsCalls
{
    public static Task<ServiceResult<CampaignEffectRow>> CampaignEffectAsync(this ServiceApi api, string campaignCode, int preDays, int postDays, CancellationToken ct) =>
        api.GetAsync<CampaignEffectRow>(ServiceNames.Insights,
            $"/api/uplift/campaigns/{Uri.EscapeDataString(campaignCode)}/effect?preDays={preDays}&postDays={postDays}", ct);
}

public sealed record UpliftPeriodsRow(DateOnly From, DateOnly To, DateOnly BaselineFrom, DateOnly BaselineTo);

public sealed record UpliftTableRow(
    string Group, int Customers, decimal BaselineAverageDeposit, decimal AverageDeposit, decimal Change, double? ChangePercent,
    decimal BaselineAveragePerCustomer, decimal AveragePerCustomer, decimal ChangePerCustomer,
    decimal BaselineNetNewDeposits, decimal NetNewDeposits, int BaselineDays, int Days);

public sealed record UpliftPointRow(string Group, DateOnly Day, int Customers, decimal Deposit);

public sealed record DepositUpliftRow(string GroupBy, UpliftPeriodsRow Periods, List<UpliftTableRow> Rows, List<UpliftPointRow> Series);

public sealed record UpliftCampaignRow(string CampaignCode, DateOnly StartsOn, int Treated, int Control);

public sealed record AggregateEffectRow(double Att, double StandardError, double CiLow, double CiHigh);

public sealed record EventTimeEffectRow(int EventTime, double Att, double StandardError, double CiLow, double CiHigh);

public sealed record LobbyGroupRow(int Period, DateOnly WeekEnding, List<string> Branches);

public sealed record LobbyEventEffectRow(
    DateOnly WindowFrom, DateOnly WindowTo, int Weeks, string Control, int Branches, List<LobbyGroupRow> Groups,
    AggregateEffectRow Effect, AggregateEffectRow? PreTrend, bool PreTrendCoversZero, List<EventTimeEffectRow> EventStudy,
    string Method, string Outcome);

/// <summary>Calls to Insights for the uplift dashboard.</summary>
public static class UpliftCalls
{
    /// <summary><paramref name="query"/>: the dashboard's filters as a query string without "?" (groupBy, from, to, baselineFrom, baselineTo).</summary>
    public static Task<ServiceResult<DepositUpliftRow>> DepositUpliftAsync(this ServiceApi api, string query, CancellationToken ct) =>
        api.GetAsync<DepositUpliftRow>(ServiceNames.Insights, $"/api/uplift/deposits?{query}", ct);

    public static Task<ServiceResult<List<UpliftCampaignRow>>> UpliftCampaignsAsync(this ServiceApi api, CancellationToken ct) =>
        api.GetAsync<List<UpliftCampaignRow>>(ServiceNames.Insights, "/api/uplift/campaigns", ct);

    public static Task<ServiceResult<LobbyEventEffectRow>> LobbyEventEffectAsync(this ServiceApi api, int weeks, CancellationToken ct) =>
        api.GetAsync<LobbyEventEffectRow>(ServiceNames.Insights, $"/api/uplift/lobby-events?weeks={weeks}&control=not-yet", ct);
}
