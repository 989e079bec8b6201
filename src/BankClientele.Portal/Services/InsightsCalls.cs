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
