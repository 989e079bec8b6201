using BankClientele.Contracts.Acquisition;
using BankClientele.Contracts.CustomerCare;
using BankClientele.Contracts.FootTraffic;
using BankClientele.Hosting.Privacy;

namespace BankClientele.Hosting.Messaging;

#pragma warning disable CS0618 // the obsolete contracts are read here, and only here
/// <summary>
/// Messages of the contracts that carried personal data, queued before the upgrade, read as their
/// V2: the numbers hashed with the matching key, names and numbers dropped. The consumers of the
/// old contracts (kept, on their old queues, until those are empty) hand the V2 to the same
/// handler as the V2 consumers, so nothing personal is kept from them either.
/// </summary>
public static class ContractUpgrades
{
    public static ProspectConvertedV2 ToV2(this ProspectConverted m, PersonalDataHash hashes) =>
        new(m.ProspectId, m.CustomerId, m.BranchCode, m.InitialDeposit, m.CampaignCode, m.ConvertedAt, m.CustomerNumber,
            hashes.Phone(m.Phone), null, hashes.AccountNumber(m.AccountNumber), m.FirstTouch, m.LastTouch, m.AcquisitionCost, m.CreditedStaffId);

    public static AccountOpenedV2 ToV2(this AccountOpened m, PersonalDataHash hashes) =>
        new(m.CustomerId, m.CustomerNumber, hashes.AccountNumber(m.AccountNumber) ?? "", m.ProductCode, m.BranchCode, m.OpenedOn,
            m.FirstDeposit, m.PhoneHash, m.IdNumberHash, m.FirstAccountOfCustomer);

    public static WalkInIdentifiedAsProspectV2 ToV2(this WalkInIdentifiedAsProspect m, PersonalDataHash hashes) =>
        new(m.WalkInId, m.BranchCode, hashes.Phone(m.Phone) ?? "", m.Interest, m.GreeterStaffId, m.LobbyEventId,
            m.ConsentWording, m.ConsentedAt, m.IdentifiedAt);
}
#pragma warning restore CS0618
