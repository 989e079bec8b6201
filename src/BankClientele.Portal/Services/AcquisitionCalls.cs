namespace BankClientele.Portal.Services;

public sealed record CampaignFiguresRow(
    string Code, string Name, string Kind, string BranchCode, string Status, decimal Budget, int Leads, int Contacted, int Interested,
    int Appointments, int AccountsOpened, int Activated, decimal DepositsAfter30Days, decimal DepositsAfter90Days, decimal Cost,
    double? AverageDaysToConvert, decimal? Cac, decimal? CostPerActivated, double ConversionRate);

public sealed record CampaignRow(
    string Code, string Name, string Kind, string BranchCode, string Status, decimal Budget, DateOnly StartsOn, DateOnly? EndsOn,
    string? Staff, string? Segment, string? Channel, string? Script, double HoldoutFraction, string? Place, int? Capacity,
    int? ExpectedAttendance, int? ActualAttendance, string? PartnerCode, string? CostTerms, string CreatedBy, string? ApprovedBy);

public sealed record CampaignCostRow(Guid Id, decimal Amount, string Category, DateOnly IncurredOn, string RecordedBy);

public sealed record CampaignDetailRow(CampaignRow Campaign, CampaignFiguresRow Figures, List<CampaignCostRow> Costs, int AudienceTreated, int AudienceControl);

public sealed record LeadRow(
    Guid Id, string FullName, string PhoneMasked, string BranchCode, string? CampaignCode, string Status, DateTimeOffset CreatedAt,
    DateTimeOffset? ConvertedAt, Guid? CustomerId, string? IdNumberMasked, string Channel, bool MarketingConsent, bool FinancialDataConsent,
    string NextAction, DateOnly? NextActionOn);

public sealed record PartnerRow(string Code, string Name, string BranchCode, string ReferralCode, decimal FeePerConversion, int Referrals, int Conversions, decimal Cost);

public sealed record SegmentRow(
    int Rank, string District, string AgeBand, int Size, int Reachable, decimal ExpectedValue,
    double Reachability, double SizeScore, double Profitability, double Fit, double Score);

/// <summary>One bar of a funnel chart.</summary>
public sealed record FunnelStep(string Stage, int Count);

/// <summary>Acquisition's API as the signed-in member of staff calls it (the service scopes every answer).</summary>
public static class AcquisitionCalls
{
    public static Task<ServiceResult<List<CampaignFiguresRow>>> CampaignsAsync(this ServiceApi api, CancellationToken ct) =>
        api.GetAsync<List<CampaignFiguresRow>>(ServiceNames.Acquisition, "/api/campaigns", ct);

    public static Task<ServiceResult<CampaignDetailRow>> CampaignAsync(this ServiceApi api, string code, CancellationToken ct) =>
        api.GetAsync<CampaignDetailRow>(ServiceNames.Acquisition, $"/api/campaigns/{Uri.EscapeDataString(code)}", ct);

    public static Task<ServiceResult<List<LeadRow>>> LeadsAsync(this ServiceApi api, string? campaignCode, CancellationToken ct) =>
        api.GetAsync<List<LeadRow>>(ServiceNames.Acquisition, campaignCode is null ? "/api/prospects" : $"/api/prospects?campaignCode={Uri.EscapeDataString(campaignCode)}", ct);

    public static Task<ServiceResult<List<PartnerRow>>> PartnersAsync(this ServiceApi api, CancellationToken ct) =>
        api.GetAsync<List<PartnerRow>>(ServiceNames.Acquisition, "/api/partners", ct);

    public static Task<ServiceResult<List<SegmentRow>>> SegmentsAsync(this ServiceApi api, string branchCode, CancellationToken ct) =>
        api.GetAsync<List<SegmentRow>>(ServiceNames.Acquisition, $"/api/segments/ranking?branchCode={Uri.EscapeDataString(branchCode)}", ct);
}
