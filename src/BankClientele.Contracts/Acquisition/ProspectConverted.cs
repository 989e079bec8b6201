namespace BankClientele.Contracts.Acquisition;

/// <summary>A prospect opened an account: it becomes a customer of <paramref name="BranchCode"/>.</summary>
/// <param name="CustomerId">The id the new customer keeps in every service (derived from the customer number when there is one).</param>
/// <param name="CampaignCode">The campaign the conversion is attributed to (last touch), if any.</param>
/// <param name="CustomerNumber">The core-banking customer number; null only for conversions recorded before it was carried.</param>
/// <param name="FirstTouch">The first recorded touch (channel, campaign, branch, staff) of the prospect.</param>
/// <param name="LastTouch">The last recorded touch before the account was opened.</param>
/// <param name="AcquisitionCost">The cost attributed to this conversion (yuan), by the campaign's credit rules.</param>
/// <param name="CreditedStaffId">The member of staff credited with the conversion.</param>
/// <remarks>
/// Carries the name, phone and account number: replaced by <see cref="ProspectConvertedV2"/>. Kept so
/// messages queued before the upgrade are still read: each consumer takes them as a V2 (the hash
/// computed from the phone, the name and numbers dropped). Nothing publishes it any more.
/// </remarks>
[Obsolete("Carries personal data; publish ProspectConvertedV2. Kept to read messages queued before the upgrade.")]
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

/// <summary>
/// A prospect opened an account: it becomes a customer of <paramref name="BranchCode"/>. Ids, codes and
/// keyed hashes only: a service that needs the name or phone reads them from the core-banking feed
/// (CustomerCare) or does without.
/// </summary>
/// <param name="CustomerId">The id the new customer keeps in every service (derived from the customer number).</param>
/// <param name="CustomerNumber">The core-banking customer number (the bank's key of the customer, not a card or account).</param>
/// <param name="PhoneHash">Keyed hash of the normalised phone (Hosting's PersonalDataHash), for matching a walk-in.</param>
/// <param name="IdNumberHash">Keyed hash of the normalised ID number, or null.</param>
/// <param name="AccountNumberHash">Keyed hash of the account opened (PersonalDataHash.AccountNumber), or null.</param>
public sealed record ProspectConvertedV2(
    Guid ProspectId,
    Guid CustomerId,
    string BranchCode,
    decimal InitialDeposit,
    string? CampaignCode,
    DateTimeOffset ConvertedAt,
    string? CustomerNumber,
    string? PhoneHash,
    string? IdNumberHash,
    string? AccountNumberHash,
    Touch? FirstTouch = null,
    Touch? LastTouch = null,
    decimal? AcquisitionCost = null,
    string? CreditedStaffId = null);

/// <summary>One contact of a prospect with the bank, as attribution counts it.</summary>
/// <param name="Channel">staff, import, lobby, community-event, partner, campaign-outreach, ...</param>
public sealed record Touch(string Channel, string? CampaignCode, string BranchCode, string? StaffId, DateTimeOffset At);
