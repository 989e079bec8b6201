namespace BankClientele.Portal.Services;

// A relationship manager's day: logging any visit, the offers and the customer's answer, their own
// book's analytics (CustomerCare), and working a lead with its consents (Acquisition).

/// <summary>A visit nobody scheduled (CustomerCare's LogVisit); the next step names the follow-up on its date.</summary>
public sealed record CareLogVisit(Guid CustomerId, string Channel, string Outcome, string? Notes, DateOnly? NextFollowUpOn, string? NextStep);

/// <summary>Logging a scheduled visit (CustomerCare's CompleteRevisit), with the next step of its follow-up.</summary>
public sealed record CareCompleteVisit(string Channel, string Outcome, string? Notes, DateOnly? NextFollowUpOn, string? NextStep);

public sealed record CareProposeOffer(Guid CustomerId, string BundleCode, decimal Amount, string? CampaignCode = null);

public sealed record BookSliceRow(string Key, int Customers, decimal Assets, decimal Clv);

public sealed record AtRiskCustomerRow(Guid Id, string CustomerName, string Tier, string? LifecycleStage, string? ValueSegment,
    double? ProbabilityAlive, decimal? ExpectedLifetimeValue, decimal AverageAssets);

public sealed record BookOnTimeRow(DateOnly From, DateOnly To, int Completed, int OnTime, int OpenOverdue, double Rate);

public sealed record BookSummaryRow(string? StaffId, int Customers, decimal Assets, decimal Clv, BookOnTimeRow OnTime,
    List<BookSliceRow> ByTier, List<BookSliceRow> BySegment, List<BookSliceRow> ByLifecycle, List<AtRiskCustomerRow> AtRisk);

/// <summary>Acquisition's RecordProspect as the lead form sends it (the consent wording given = marketing consent).</summary>
public sealed record ProspectDraft(string FullName, string Phone, string BranchCode, string? Channel, string? ConsentWording);

public sealed record ProspectCreatedRow(Guid Id, bool Merged);

public sealed record LeadTouchRow(string Channel, string? CampaignCode, string BranchCode, string? StaffId, DateTimeOffset At, string? Outcome, string? Note);

public sealed record LeadConsentRow(string Kind, bool Given, string Channel, string Wording, DateTimeOffset At, string? RecordedBy);

public sealed record LeadDetailRow(LeadRow Prospect, List<LeadTouchRow> Touches, List<LeadConsentRow> Consents);

public sealed record LeadContact(string Channel, string Outcome, string? Note, DateOnly? NextActionOn);

public static class RelationshipManagerCalls
{
    /// <summary>How a visit was made (CustomerCare's RevisitChannels).</summary>
    public static readonly string[] VisitChannels = ["customer-site", "phone", "wechat", "branch", "online"];

    /// <summary>How a lead was contacted, and what came of it (Acquisition's LogContact).</summary>
    public static readonly string[] ContactChannels = ["phone", "wechat", "sms", "visit", "email"];
    public static readonly string[] ContactOutcomes = ["reached", "no-answer", "interested", "appointment", "declined"];

    /// <summary>The customer's answer to an offer, as CustomerCare's routes name it.</summary>
    public static readonly string[] OfferAnswers = ["accept", "decline", "later"];

    public static Task<ServiceResult<CareRevisitRow>> LogVisitAsync(this ServiceApi api, CareLogVisit visit, CancellationToken ct) =>
        api.SendAsync<CareRevisitRow>(ServiceNames.CustomerCare, HttpMethod.Post, "/api/revisits", visit, ct);

    public static Task<ServiceResult<CareRevisitRow>> CompleteVisitAsync(this ServiceApi api, Guid revisitId, CareCompleteVisit visit, CancellationToken ct) =>
        api.SendAsync<CareRevisitRow>(ServiceNames.CustomerCare, HttpMethod.Post, $"/api/revisits/{revisitId}/completion", visit, ct);

    public static Task<ServiceResult<BookSummaryRow>> BookSummaryAsync(this ServiceApi api, CancellationToken ct) =>
        api.GetAsync<BookSummaryRow>(ServiceNames.CustomerCare, "/api/book/summary", ct);

    public static Task<ServiceResult<CareOfferRow>> ProposeOfferAsync(this ServiceApi api, CareProposeOffer offer, CancellationToken ct) =>
        api.SendAsync<CareOfferRow>(ServiceNames.CustomerCare, HttpMethod.Post, "/api/offers", offer, ct);

    public static Task<ServiceResult<CareOfferRow>> AnswerOfferAsync(this ServiceApi api, Guid offerId, string answer, CancellationToken ct) =>
        api.SendAsync<CareOfferRow>(ServiceNames.CustomerCare, HttpMethod.Post, $"/api/offers/{offerId}/{answer}", null, ct);

    public static Task<ServiceResult<ProspectCreatedRow>> RecordProspectAsync(this ServiceApi api, ProspectDraft draft, CancellationToken ct) =>
        api.SendAsync<ProspectCreatedRow>(ServiceNames.Acquisition, HttpMethod.Post, "/api/prospects", draft, ct);

    public static Task<ServiceResult<LeadDetailRow>> LeadAsync(this ServiceApi api, Guid id, CancellationToken ct) =>
        api.GetAsync<LeadDetailRow>(ServiceNames.Acquisition, $"/api/prospects/{id}", ct);

    public static Task<ServiceResult<LeadRow>> GiveConsentAsync(this ServiceApi api, Guid id, string kind, string wording, CancellationToken ct) =>
        api.SendAsync<LeadRow>(ServiceNames.Acquisition, HttpMethod.Post, $"/api/prospects/{id}/consents", new { kind, channel = "staff", wording }, ct);

    public static Task<ServiceResult<LeadRow>> WithdrawConsentAsync(this ServiceApi api, Guid id, string kind, CancellationToken ct) =>
        api.SendAsync<LeadRow>(ServiceNames.Acquisition, HttpMethod.Post, $"/api/prospects/{id}/consents/{kind}/withdrawal", new { channel = "staff" }, ct);

    public static Task<ServiceResult<LeadRow>> LogContactAsync(this ServiceApi api, Guid id, LeadContact contact, CancellationToken ct) =>
        api.SendAsync<LeadRow>(ServiceNames.Acquisition, HttpMethod.Post, $"/api/prospects/{id}/contacts", contact, ct);
}
