namespace BankClientele.Contracts.Acquisition;

/// <summary>A campaign was approved and started running.</summary>
/// <param name="Kind">targeted, community-event or partner.</param>
public sealed record CampaignLaunched(
    string CampaignCode,
    string Name,
    string Kind,
    string BranchCode,
    DateOnly StartsOn,
    DateOnly? EndsOn,
    decimal Budget,
    DateTimeOffset LaunchedAt);

/// <summary>A cost was booked against a campaign (yuan); CAC in Insights adds these up.</summary>
public sealed record CampaignCostRecorded(
    Guid CostId,
    string CampaignCode,
    string BranchCode,
    decimal Amount,
    string Category,
    DateOnly IncurredOn);
