namespace BankClientele.Portal.Services;

// Insights' campaign design (GET /api/uplift/power), as the campaign wizard shows it before launch.
public sealed record PlannedAudienceRow(int Audience, int Treated, int Control, double Power, double MinimumDetectableEffect, bool Detectable);

public sealed record CampaignDesignRow(
    string BranchCode, DateOnly Day, int Customers, double StandardDeviation, double Effect, double HoldoutFraction,
    double Alpha, double Power, long Treated, long Control, long Total, PlannedAudienceRow? Planned);

public static class CampaignDesignCalls
{
    /// <summary>
    /// The groups needed to detect <paramref name="effect"/> yuan per customer from the branch's own
    /// deposit spread, and what a planned audience of <paramref name="audience"/> customers would give.
    /// </summary>
    public static Task<ServiceResult<CampaignDesignRow>> CampaignDesignAsync(this ServiceApi api, string branchCode, double effect,
        double holdoutFraction, int? audience, CancellationToken ct) =>
        api.GetAsync<CampaignDesignRow>(ServiceNames.Insights, FormattableString.Invariant(
            $"/api/uplift/power?branch={Uri.EscapeDataString(branchCode)}&effect={effect}&holdoutFraction={holdoutFraction}{(audience is { } n ? $"&audience={n}" : "")}"), ct);
}
