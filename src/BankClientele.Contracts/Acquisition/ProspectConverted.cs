namespace BankClientele.Contracts.Acquisition;

/// <summary>A prospect opened an account: it becomes a customer of <paramref name="BranchCode"/>.</summary>
/// <param name="CustomerId">The id the new customer keeps in every service (derived from the customer number when there is one).</param>
/// <param name="CampaignCode">The campaign the conversion is attributed to (last touch), if any.</param>
/// <param name="CustomerNumber">The core-banking customer number; null only for conversions recorded before it was carried.</param>
/// <param name="FirstTouch">The first recorded touch (channel, campaign, branch, staff) of the prospect.</param>
/// <param name="LastTouch">The last recorded touch before the account was opened.</param>
/// <param name="AcquisitionCost">The cost attributed to this conversion (yuan), by the campaign's credit rules.</param>
/// <param name="CreditedStaffId">The member of staff credited with the conversion.</param>
public sealed record ProspectConverted(
    Guid ProspectId,
    Guid CustomerId,
    string FullName,
    string Phone,
    string BranchCode,
    string AccountNumber,
    decimal InitialDeposit,
    string? CampaignCode,
    DateTimeOffset ConvertedAt,
    string? CustomerNumber = null,
    Touch? FirstTouch = null,
    Touch? LastTouch = null,
    decimal? AcquisitionCost = null,
    string? CreditedStaffId = null);

/// <summary>One contact of a prospect with the bank, as attribution counts it.</summary>
/// <param name="Channel">staff, import, lobby, community-event, partner, campaign-outreach, ...</param>
public sealed record Touch(string Channel, string? CampaignCode, string BranchCode, string? StaffId, DateTimeOffset At);
