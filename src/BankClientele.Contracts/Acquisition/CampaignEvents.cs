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

/// <summary>
/// A draft campaign was submitted for approval: the branch's lead is told in the portal's inbox
/// (unless a branch lead submitted it, who approves it themselves).
/// </summary>
/// <param name="SubmittedByRole">The submitter's role (relationship-manager, branch-lead, ...).</param>
public sealed record CampaignSubmitted(
    string CampaignCode,
    string Kind,
    string BranchCode,
    string SubmittedBy,
    string SubmittedByRole,
    DateTimeOffset SubmittedAt);

/// <summary>A cost was booked against a campaign (yuan); CAC in Insights adds these up.</summary>
public sealed record CampaignCostRecorded(
    Guid CostId,
    string CampaignCode,
    string BranchCode,
    decimal Amount,
    string Category,
    DateOnly IncurredOn);
