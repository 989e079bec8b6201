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
    EffectIntervalRow? PreTrend,
    bool PreTrendCoversZero,
    double MinimumDetectableEffect,
    List<CampaignGroupEffectRow>? Groups = null);

public sealed record CampaignGroupEffectRow(string Group, int TreatedCustomers, int ControlCustomers, EffectIntervalRow? DifferenceInDifferences);

/// <summary>Calls to Insights for the head-office pages.</summary>
public static class InsightsCalls
{
    public static Task<ServiceResult<CampaignEffectRow>> CampaignEffectAsync(this ServiceApi api, string campaignCode, int preDays, int postDays, CancellationToken ct, string? groupBy = null) =>
        api.GetAsync<CampaignEffectRow>(ServiceNames.Insights,
            $"/api/uplift/campaigns/{Uri.EscapeDataString(campaignCode)}/effect?preDays={preDays}&postDays={postDays}"
            + (groupBy is null ? "" : $"&groupBy={Uri.EscapeDataString(groupBy)}"), ct);
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
    string Method, string Outcome, string? Inference = null);

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

// KPIs, CLV by segment, market share and the relationship-manager league table (head office).

public sealed record CampaignKpiRow(string CampaignCode, string? Name, decimal? Budget, double? BudgetUsed, decimal Cost, int Conversions, decimal? Cac, decimal? AverageClv, decimal? ClvToCac);

public sealed record KpiSummaryRow(DateOnly From, DateOnly To, decimal Cost, int Conversions, decimal? Cac, decimal? AverageClvOfAcquired,
    decimal? ClvToCac, decimal? AverageClv, List<CampaignKpiRow> Campaigns);

public sealed record SegmentClvRow(string ValueSegment, string LifecycleStage, int Customers, decimal AverageClv, decimal TotalClv, double AverageProbabilityAlive);

public sealed record MarketShareRow(string City, DateOnly Month, DateOnly? BalanceDay, decimal BankDeposits, decimal RegionalDeposits, double Share);

public sealed record LeagueTableRow(int Rank, string RelationshipManagerId, string BranchCode, int Customers, decimal AssetsAtStart, decimal AssetsAtEnd,
    decimal AssetGrowth, double? AssetGrowthRate, int RevisitsCompleted, int RevisitsOnTime, double? OnTimeRate, int BundlesAccepted, decimal BundleAmount);

public static class KpiCalls
{
    private static string Period(DateOnly? from, DateOnly? to, string? branch = null) =>
        string.Join("&", new[] { from is { } f ? $"from={f:yyyy-MM-dd}" : null, to is { } t ? $"to={t:yyyy-MM-dd}" : null,
            branch is { Length: > 0 } b ? $"branchCode={Uri.EscapeDataString(b)}" : null }.Where(p => p is not null));

    public static Task<ServiceResult<KpiSummaryRow>> KpisAsync(this ServiceApi api, DateOnly? from, DateOnly? to, CancellationToken ct, string? branch = null) =>
        api.GetAsync<KpiSummaryRow>(ServiceNames.Insights, $"/api/kpis?{Period(from, to, branch)}", ct);

    public static Task<ServiceResult<List<SegmentClvRow>>> ClvBySegmentAsync(this ServiceApi api, CancellationToken ct, string? branch = null) =>
        api.GetAsync<List<SegmentClvRow>>(ServiceNames.Insights, $"/api/kpis/clv-by-segment?{Period(null, null, branch)}", ct);

    public static Task<ServiceResult<List<MarketShareRow>>> MarketShareAsync(this ServiceApi api, CancellationToken ct) =>
        api.GetAsync<List<MarketShareRow>>(ServiceNames.Insights, "/api/market/share", ct);

    public static Task<ServiceResult<List<LeagueTableRow>>> LeagueTableAsync(this ServiceApi api, DateOnly? from, DateOnly? to, CancellationToken ct, string? branch = null) =>
        api.GetAsync<List<LeagueTableRow>>(ServiceNames.Insights, $"/api/kpis/league-table?{Period(from, to, branch)}", ct);
}

// The product mix of the analytic store's accounts (head office: any branch; a branch lead: their own).

public sealed record ProductMixRowView(string ProductCode, int AccountsOpened, int NewCustomers, decimal FirstDeposits, int Holders, double? Penetration);

public sealed record ProductMonthView(DateOnly Month, string ProductCode, int Accounts);

public sealed record ProductHoldingsView(DateOnly From, DateOnly To, string? BranchCode, int Customers, int Holders, double? ProductsPerHolder,
    List<ProductMixRowView> Products, List<ProductMonthView> Monthly);

public static class HoldingCalls
{
    public static Task<ServiceResult<ProductHoldingsView>> ProductHoldingsAsync(this ServiceApi api, DateOnly? from, DateOnly? to, string? branchCode, CancellationToken ct)
    {
        var query = string.Join("&", new[]
        {
            from is { } f ? $"from={f:yyyy-MM-dd}" : null, to is { } t ? $"to={t:yyyy-MM-dd}" : null,
            string.IsNullOrWhiteSpace(branchCode) ? null : $"branchCode={Uri.EscapeDataString(branchCode)}",
        }.Where(p => p is not null));
        return api.GetAsync<ProductHoldingsView>(ServiceNames.Insights, $"/api/holdings/products?{query}", ct);
    }
}
