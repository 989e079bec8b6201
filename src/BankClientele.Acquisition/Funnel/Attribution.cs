using BankClientele.Acquisition.Prospects;
using BankClientele.Contracts.Acquisition;

namespace BankClientele.Acquisition.Funnel;

/// <summary>Who and what a conversion is credited to.</summary>
public sealed record Credit(
    Touch? FirstTouch, Touch? LastTouch, string BranchCode, string? StaffId, string? CampaignCode, decimal AcquisitionCost, string Rule);

/// <summary>What the cost rule needs to know about the attributed campaign.</summary>
public sealed record CampaignCostBasis(string CampaignCode, decimal CostToDate, int Leads, decimal? PartnerFeePerConversion);

/// <summary>
/// The explicit credit rules of a conversion:
/// <list type="number">
/// <item>branch: the branch where the account was opened (the customer is served there);</item>
/// <item>member of staff: the staff of the last touch made by staff, if that staff member touched the
/// prospect for the crediting branch; else the last staff of the crediting branch; else nobody
/// (staff who moved branch keep no credit for the old branch's leads);</item>
/// <item>campaign: the last touch with a campaign (last-touch attribution); first touch is reported beside it;</item>
/// <item>cost: a partner campaign's fee per conversion; otherwise the campaign's cost to date shared over its leads.</item>
/// </list>
/// </summary>
public static class Attribution
{
    public static Credit Credit(IReadOnlyList<ProspectTouch> touches, string accountBranch, DateTimeOffset convertedAt, Func<string, CampaignCostBasis?> costOf)
    {
        var ordered = touches.Where(t => t.At <= convertedAt).OrderBy(t => t.At).ThenBy(t => t.Id).ToList();
        var first = ordered.FirstOrDefault();
        var last = ordered.LastOrDefault();
        var staffTouch = ordered.LastOrDefault(t => t.StaffId is not null && t.BranchCode == accountBranch);
        var campaignTouch = ordered.LastOrDefault(t => t.CampaignCode is not null);
        var campaign = campaignTouch?.CampaignCode;
        var basis = campaign is null ? null : costOf(campaign);
        var cost = basis switch
        {
            null => 0m,
            { PartnerFeePerConversion: { } fee } => fee,
            { Leads: > 0 } b => Math.Round(b.CostToDate / b.Leads, 2),
            _ => 0m,
        };
        var rule = $"branch=account branch {accountBranch}; staff={(staffTouch is null ? "none (no staff touch at that branch)" : $"last staff touch at {staffTouch.At:u}")}; " +
                   $"campaign={(campaign is null ? "none" : $"last campaign touch {campaign}")}; cost={(basis?.PartnerFeePerConversion is not null ? "partner fee per conversion" : "campaign cost to date / leads")}";
        return new Credit(ToTouch(first), ToTouch(last), accountBranch, staffTouch?.StaffId, campaign, cost, rule);
    }

    private static Touch? ToTouch(ProspectTouch? t) => t is null ? null : new Touch(t.Channel, t.CampaignCode, t.BranchCode, t.StaffId, t.At);
}
