using System.Globalization;

namespace BankClientele.Portal.Services;

// Views of CustomerCare's revisit API, as the portal reads them.
public sealed record CareRevisitRow(
    Guid Id, Guid CustomerId, string CustomerName, string Tier, string BranchCode, string? RelationshipManagerId,
    string Reason, string? Detail, DateOnly DueOn, int Priority, string Status, int EscalationLevel,
    DateTimeOffset? CompletedAt, string? Channel, string? Outcome, string? Notes, bool? OnTime);

public sealed record CareLobbyAlertRow(Guid VisitId, Guid CustomerId, string CustomerName, string Tier, string BranchCode, string ServiceType, DateTimeOffset ArrivedAt);

public sealed record CareAgenda(DateOnly Date, List<CareRevisitRow> Overdue, List<CareRevisitRow> Today, List<CareRevisitRow> Upcoming, List<CareLobbyAlertRow> LobbyAlerts);

public sealed record CareOnTimeRateRow(string Key, string BranchCode, int Completed, int OnTime, int OpenOverdue, double Rate);

public sealed record CareOnTime(DateOnly From, DateOnly To, List<CareOnTimeRateRow> Managers, List<CareOnTimeRateRow> Branches);

public sealed record CareCompleteRevisit(string Channel, string Outcome, string? Notes, DateOnly? NextFollowUpOn);

/// <summary>CustomerCare's revisit calls (agenda, visit history, logging a visit, on-time rates).</summary>
public static class CareCalls
{
    public static readonly string[] Channels = ["branch", "customer-site", "phone", "online"];

    public static Task<ServiceResult<CareAgenda>> AgendaAsync(this ServiceApi api, CancellationToken ct) =>
        api.GetAsync<CareAgenda>(ServiceNames.CustomerCare, "/api/agenda", ct);

    public static Task<ServiceResult<List<CareRevisitRow>>> RevisitsAsync(this ServiceApi api, string query, CancellationToken ct) =>
        api.GetAsync<List<CareRevisitRow>>(ServiceNames.CustomerCare, $"/api/revisits?{query}", ct);

    public static Task<ServiceResult<CareOnTime>> OnTimeAsync(this ServiceApi api, CancellationToken ct) =>
        api.GetAsync<CareOnTime>(ServiceNames.CustomerCare, "/api/revisits/on-time", ct);

    public static Task<ServiceResult<CareRevisitRow>> CompleteRevisitAsync(this ServiceApi api, Guid id, CareCompleteRevisit log, CancellationToken ct) =>
        api.SendAsync<CareRevisitRow>(ServiceNames.CustomerCare, HttpMethod.Post, $"/api/revisits/{id}/completion", log, ct);
}

// Views of CustomerCare's customer book, as the customer list and the customer 360 read them.
public sealed record CareCustomerRow(
    Guid Id, string? CustomerNumber, string FullName, string PhoneMasked, string? IdNumberMasked, string? Gender, int? BirthYear,
    string BranchCode, string? City, string? District, string? Occupation, string AccountNumberMasked,
    string? RelationshipManagerId, string? RelationshipManagerName, DateTimeOffset JoinedAt, string Tier, decimal AverageAssets,
    decimal DepositBalance, decimal WealthBalance, DateOnly? BalanceDate, int? RiskLevel, DateOnly? RiskAssessedOn,
    bool RiskAssessmentExpired, List<string> Tags, string? LifecycleStage = null, string? ValueSegment = null,
    double? ProbabilityAlive = null, decimal? ExpectedLifetimeValue = null);

public sealed record CareHoldingRow(string AccountNumberMasked, string ProductCode, DateOnly OpenedOn, DateOnly? MaturesOn, decimal Balance);

public sealed record CareBalanceRow(DateOnly Date, decimal Deposit, decimal Wealth);

public sealed record CarePersonalData(Guid Id, string FullName, string Phone, string AccountNumber, string? IdNumber);

/// <summary>A reason a bundle suits the customer: its code and the values its words name, in order (CustomerCare's ScoredReason).</summary>
public sealed record CareScoredReason(string Code, int Points, string Text, List<string>? Values = null)
{
    /// <summary>The reason in the reader's language; the service's English text if the portal has no word for its code.</summary>
    public string Words => Localization.Text.Word("Rm.Why.", Code) is var words && words == Code ? Text
        : string.Format(CultureInfo.CurrentCulture, words, [.. (Values ?? []).Select(Figure)]);

    /// <summary>An amount in the reader's digits (¥1,234); a date or a name as it is.</summary>
    private static object Figure(string value) =>
        decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var amount) ? amount.ToString("N0", CultureInfo.CurrentCulture) : value;
}

public sealed record CareRecommendation(string BundleCode, string Name, int Score, List<CareScoredReason> Reasons);

public sealed record CareRecommendations(Guid CustomerId, int? RiskLevel, DateOnly? RiskAssessedOn,
    Dictionary<string, string[]> AssessmentProblems, List<CareRecommendation> Recommendations);

public sealed record CareOfferRow(Guid Id, Guid CustomerId, string BranchCode, string? RelationshipManagerId, string BundleCode, decimal Amount,
    string Status, string ProposedBy, DateTimeOffset ProposedAt, DateOnly ExpiresOn, DateTimeOffset? DecidedAt, string? CampaignCode = null);

/// <summary>A page of customers and how many match in all.</summary>
public sealed record CareCustomerPage(List<CareCustomerRow> Rows, int Total);

/// <summary>What the customer list filters on (the page's query string, and the export's).</summary>
public sealed record CareCustomerFilter(string? Search, string? Tier, string? Sort, int Page, int PageSize = 25)
{
    public string ToQuery(int? page = null, int? pageSize = null)
    {
        var parts = new List<string> { $"page={page ?? Page}", $"pageSize={pageSize ?? PageSize}" };
        if (!string.IsNullOrWhiteSpace(Search))
        {
            parts.Add("search=" + Uri.EscapeDataString(Search.Trim()));
        }
        if (!string.IsNullOrWhiteSpace(Tier))
        {
            parts.Add("tier=" + Uri.EscapeDataString(Tier));
        }
        if (!string.IsNullOrWhiteSpace(Sort))
        {
            parts.Add("sort=" + Uri.EscapeDataString(Sort));
        }
        return string.Join("&", parts);
    }

    public static CareCustomerFilter From(IQueryCollection query) =>
        new(query["search"].FirstOrDefault(), query["tier"].FirstOrDefault(), query["sort"].FirstOrDefault(),
            int.TryParse(query["page"].FirstOrDefault(), out var page) && page > 0 ? page : 1);
}

/// <summary>CustomerCare's customer book calls (list, the customer 360, the audited unmasked view).</summary>
public static class CareCustomerCalls
{
    public static readonly string[] Tiers = ["Mass", "Affluent", "Wealth", "HighNetWorth", "PrivateBanking"];

    public static async Task<ServiceResult<CareCustomerPage>> CustomerPageAsync(this ServiceApi api, CareCustomerFilter filter, CancellationToken ct)
    {
        var (rows, total) = await api.GetWithTotalAsync<List<CareCustomerRow>>(ServiceNames.CustomerCare, $"/api/customers?{filter.ToQuery()}", ct);
        return new(rows.Service, rows.Ok ? new CareCustomerPage(rows.Value!, total ?? rows.Value!.Count) : null, rows.Problem);
    }

    public static Task<ServiceResult<CareCustomerRow>> CustomerAsync(this ServiceApi api, Guid id, CancellationToken ct) =>
        api.GetAsync<CareCustomerRow>(ServiceNames.CustomerCare, $"/api/customers/{id}", ct);

    public static Task<ServiceResult<List<CareHoldingRow>>> HoldingsAsync(this ServiceApi api, Guid id, CancellationToken ct) =>
        api.GetAsync<List<CareHoldingRow>>(ServiceNames.CustomerCare, $"/api/customers/{id}/holdings", ct);

    public static Task<ServiceResult<List<CareBalanceRow>>> BalancesAsync(this ServiceApi api, Guid id, CancellationToken ct) =>
        api.GetAsync<List<CareBalanceRow>>(ServiceNames.CustomerCare, $"/api/customers/{id}/balances?days=365", ct);

    public static Task<ServiceResult<CareRecommendations>> RecommendationsAsync(this ServiceApi api, Guid id, CancellationToken ct) =>
        api.GetAsync<CareRecommendations>(ServiceNames.CustomerCare, $"/api/customers/{id}/recommendations", ct);

    public static Task<ServiceResult<List<CareOfferRow>>> OffersAsync(this ServiceApi api, Guid customerId, CancellationToken ct) =>
        api.GetAsync<List<CareOfferRow>>(ServiceNames.CustomerCare, $"/api/offers?customerId={customerId}", ct);

    /// <summary>The unmasked personal data; the service records the view with its reason.</summary>
    public static Task<ServiceResult<CarePersonalData>> PersonalDataAsync(this ServiceApi api, Guid id, string reason, CancellationToken ct) =>
        api.GetAsync<CarePersonalData>(ServiceNames.CustomerCare, $"/api/customers/{id}/personal-data?reason={Uri.EscapeDataString(reason)}", ct);
}
