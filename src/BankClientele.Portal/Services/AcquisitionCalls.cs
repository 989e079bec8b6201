namespace BankClientele.Portal.Services;

public sealed record CampaignFiguresRow(
    string Code, string Name, string Kind, string BranchCode, string Status, decimal Budget, int Leads, int Contacted, int Interested,
    int Appointments, int AccountsOpened, int Activated, decimal DepositsAfter30Days, decimal DepositsAfter90Days, decimal Cost,
    double? AverageDaysToConvert, decimal? Cac, decimal? CostPerActivated, double ConversionRate);

public sealed record CampaignRow(
    string Code, string Name, string Kind, string BranchCode, string Status, decimal Budget, DateOnly StartsOn, DateOnly? EndsOn,
    string? Staff, string? Segment, string? Channel, string? Script, double HoldoutFraction, string? Place, int? Capacity,
    int? ExpectedAttendance, int? ActualAttendance, string? PartnerCode, string? CostTerms, string CreatedBy, string? ApprovedBy,
    DateTimeOffset? ApprovedAt = null, string? SubmittedBy = null, DateTimeOffset? SubmittedAt = null, DateTimeOffset? ClosedAt = null);

public sealed record CampaignCostRow(Guid Id, decimal Amount, string Category, DateOnly IncurredOn, string RecordedBy, string Channel = "");

public sealed record CampaignDetailRow(CampaignRow Campaign, CampaignFiguresRow Figures, List<CampaignCostRow> Costs, int AudienceTreated, int AudienceControl);

public sealed record LeadRow(
    Guid Id, string FullName, string PhoneMasked, string BranchCode, string? CampaignCode, string Status, DateTimeOffset CreatedAt,
    DateTimeOffset? ConvertedAt, Guid? CustomerId, string? IdNumberMasked, string Channel, bool MarketingConsent, bool FinancialDataConsent,
    string NextAction, DateOnly? NextActionOn);

public sealed record PartnerRow(string Code, string Name, string BranchCode, string ReferralCode, decimal FeePerConversion, int Referrals, int Conversions, decimal Cost);

public sealed record SegmentRow(
    int Rank, string Label, string? DefinedName, Dictionary<string, string> Criteria, int Size, int Reachable, decimal ExpectedValue,
    string ProfitabilityBasis, int SimilarCustomers, double Reachability, double SizeScore, double Profitability, double Fit, double Score);

public sealed record ChannelFiguresRow(
    string Channel, int Leads, int Contacted, int Interested, int Appointments, int AccountsOpened, int Activated,
    decimal DepositsAfter30Days, decimal DepositsAfter90Days, decimal Cost, double? AverageDaysToConvert, decimal? Cac, decimal? CostPerActivated,
    double ConversionRate, double ContactedRate, double InterestedRate, double AppointmentRate, double OpenedRate, double ActivatedRate);

/// <summary>What the creation wizard sends (Acquisition's CreateCampaign).</summary>
public sealed record CampaignDraft(
    string Code, string Name, string Kind, string BranchCode, decimal Budget, DateOnly StartsOn, DateOnly? EndsOn, string? Staff,
    string? Segment, string? Channel, string? Script, double HoldoutFraction, string? Place, int? Capacity, int? ExpectedAttendance,
    string? PartnerCode, string? CostTerms);

/// <summary>A segment staff define (Acquisition's DefineSegment; criteria by dimension name).</summary>
public sealed record SegmentDefinitionDraft(string BranchCode, string Name, Dictionary<string, string?> Criteria);

/// <summary>One bar of a funnel chart.</summary>
public sealed record FunnelStep(string Stage, int Count);

/// <summary>Acquisition's API as the signed-in member of staff calls it (the service scopes every answer).</summary>
public static class AcquisitionCalls
{
    public static Task<ServiceResult<List<CampaignFiguresRow>>> CampaignsAsync(this ServiceApi api, CancellationToken ct) =>
        api.GetAsync<List<CampaignFiguresRow>>(ServiceNames.Acquisition, "/api/campaigns", ct);

    /// <summary>
    /// The running targeted campaigns of a branch, for the drop-downs where an offer or an invitation is made on a
    /// campaign's behalf (only a targeted campaign has an audience, and so a holdout the services keep).
    /// Empty while Acquisition is unavailable: the contact is then simply made for no campaign.
    /// </summary>
    public static async Task<List<CampaignFiguresRow>> RunningCampaignsAsync(this ServiceApi api, string branchCode, CancellationToken ct) =>
        (await api.CampaignsAsync(ct)).Value?
            .Where(c => c.BranchCode == branchCode && c.Status == "Running" && c.Kind == "targeted")
            .OrderBy(c => c.Code, StringComparer.Ordinal).ToList() ?? [];

    public static Task<ServiceResult<CampaignDetailRow>> CampaignAsync(this ServiceApi api, string code, CancellationToken ct) =>
        api.GetAsync<CampaignDetailRow>(ServiceNames.Acquisition, $"/api/campaigns/{Uri.EscapeDataString(code)}", ct);

    public static Task<ServiceResult<List<LeadRow>>> LeadsAsync(this ServiceApi api, string? campaignCode, CancellationToken ct) =>
        api.GetAsync<List<LeadRow>>(ServiceNames.Acquisition, campaignCode is null ? "/api/prospects" : $"/api/prospects?campaignCode={Uri.EscapeDataString(campaignCode)}", ct);

    public static Task<ServiceResult<List<PartnerRow>>> PartnersAsync(this ServiceApi api, CancellationToken ct) =>
        api.GetAsync<List<PartnerRow>>(ServiceNames.Acquisition, "/api/partners", ct);

    public static Task<ServiceResult<List<SegmentRow>>> SegmentsAsync(this ServiceApi api, string branchCode, CancellationToken ct, string? by = null) =>
        api.GetAsync<List<SegmentRow>>(ServiceNames.Acquisition,
            $"/api/segments/ranking?branchCode={Uri.EscapeDataString(branchCode)}" + (by is null ? "" : $"&by={Uri.EscapeDataString(by)}"), ct);

    public static Task<ServiceResult<object>> DefineSegmentAsync(this ServiceApi api, SegmentDefinitionDraft draft, CancellationToken ct) =>
        api.SendAsync<object>(ServiceNames.Acquisition, HttpMethod.Post, "/api/segments", draft, ct);

    public static Task<ServiceResult<List<ChannelFiguresRow>>> ChannelFiguresAsync(this ServiceApi api, CancellationToken ct) =>
        api.GetAsync<List<ChannelFiguresRow>>(ServiceNames.Acquisition, "/api/channel-figures", ct);

    public static Task<ServiceResult<CampaignRow>> CreateCampaignAsync(this ServiceApi api, CampaignDraft draft, CancellationToken ct) =>
        api.SendAsync<CampaignRow>(ServiceNames.Acquisition, HttpMethod.Post, "/api/campaigns", draft, ct);

    /// <summary>A lifecycle step: submission, approval, launch or closure (with the event's actual attendance).</summary>
    public static Task<ServiceResult<CampaignRow>> CampaignStepAsync(this ServiceApi api, string code, string step, int? actualAttendance, CancellationToken ct) =>
        api.SendAsync<CampaignRow>(ServiceNames.Acquisition, HttpMethod.Post, $"/api/campaigns/{Uri.EscapeDataString(code)}/{step}",
            step == "closure" ? new { actualAttendance } : null, ct);

    /// <summary>The groupings the wizard offers for candidate segments, one per dimension pair worth a look.</summary>
    public static readonly IReadOnlyList<string> SegmentGroupings =
        ["district,ageBand", "community,incomeBand", "city,occupation", "tag,ageBand", "channel,engagement", "touches,engagement"];
}
