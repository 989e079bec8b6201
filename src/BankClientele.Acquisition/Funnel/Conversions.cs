using BankClientele.Acquisition.Campaigns;
using BankClientele.Acquisition.Prospects;
using BankClientele.Contracts.Acquisition;
using BankClientele.Hosting.Customers;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Acquisition.Funnel;

/// <summary>
/// What opened the account: the core-banking feed (which sends only the account's hash) or a member
/// of staff by hand (who types the number; kept on the prospect, sent only as its hash).
/// </summary>
public sealed record AccountDetails(string CustomerNumber, string? AccountNumber, string? AccountNumberHash, decimal FirstDeposit, string BranchCode, DateTimeOffset OpenedAt);

/// <summary>
/// Converting a prospect, the one way both the feed (AccountOpened) and a hand conversion take:
/// credit by the explicit rules, audit the credit, publish ProspectConvertedV2 (ids, codes and hashes) in the same unit of work.
/// </summary>
public static class Conversions
{
    public static async Task<ProspectConvertedV2> ConvertAsync(
        AcquisitionDbContext db, Prospect prospect, AccountDetails account, string source, CancellationToken ct)
    {
        var touches = await db.ProspectTouches.AsNoTracking().Where(t => t.ProspectId == prospect.Id).ToListAsync(ct);
        var campaigns = touches.Select(t => t.CampaignCode).OfType<string>().Distinct().ToList();
        var bases = await CostBasesAsync(db, campaigns, ct);
        var credit = Attribution.Credit(touches, account.BranchCode, account.OpenedAt, code => bases.GetValueOrDefault(code));

        var customerId = CustomerIds.FromCustomerNumber(account.CustomerNumber);
        FunnelRules.Advance(prospect, LeadStage.AccountOpened, account.OpenedAt);
        prospect.ConvertedAt = account.OpenedAt;
        prospect.CustomerId = customerId;
        prospect.CustomerNumber = account.CustomerNumber;
        prospect.AccountNumber = account.AccountNumber ?? prospect.AccountNumber;
        prospect.InitialDeposit = account.FirstDeposit;
        prospect.CreditedBranchCode = credit.BranchCode;
        prospect.CreditedStaffId = credit.StaffId;
        prospect.AcquisitionCost = credit.AcquisitionCost;
        prospect.CampaignCode = credit.CampaignCode ?? prospect.CampaignCode;
        prospect.NextAction = null;
        db.ConversionCredits.Add(new ConversionCredit
        {
            Id = Guid.CreateVersion7(),
            ProspectId = prospect.Id,
            CustomerId = customerId,
            Source = source,
            CreditedBranchCode = credit.BranchCode,
            CreditedStaffId = credit.StaffId,
            CampaignCode = credit.CampaignCode,
            AcquisitionCost = credit.AcquisitionCost,
            Rule = credit.Rule,
            DecidedAt = DateTimeOffset.UtcNow,
        });
        var converted = new ProspectConvertedV2(
            prospect.Id, customerId, account.BranchCode, account.FirstDeposit, prospect.CampaignCode, account.OpenedAt, account.CustomerNumber,
            prospect.PhoneHash, prospect.IdNumberHash, account.AccountNumberHash, credit.FirstTouch, credit.LastTouch, credit.AcquisitionCost, credit.StaffId);
        db.Publish(converted);
        return converted;
    }

    /// <summary>Cost to date, leads and partner fee of each campaign, for the cost rule.</summary>
    public static async Task<Dictionary<string, CampaignCostBasis>> CostBasesAsync(AcquisitionDbContext db, IReadOnlyCollection<string> codes, CancellationToken ct)
    {
        if (codes.Count == 0)
        {
            return [];
        }
        var campaigns = await db.Campaigns.AsNoTracking().Where(c => codes.Contains(c.Code))
            .Select(c => new
            {
                c.Code,
                c.Kind,
                Cost = db.CampaignCosts.Where(k => k.CampaignCode == c.Code).Sum(k => (decimal?)k.Amount) ?? 0m,
                Leads = (int)(db.LeadStageCounts.Where(l => l.CampaignCode == c.Code).Sum(l => (long?)l.Leads) ?? 0),
                Fee = db.Partners.Where(p => p.Code == c.PartnerCode).Select(p => (decimal?)p.FeePerConversion).FirstOrDefault(),
            })
            .ToListAsync(ct);
        return campaigns.ToDictionary(c => c.Code, c => new CampaignCostBasis(
            c.Code, c.Cost, c.Leads, c.Kind == CampaignKinds.Partner ? c.Fee : null));
    }
}
