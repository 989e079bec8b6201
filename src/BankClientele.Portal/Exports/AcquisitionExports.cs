using BankClientele.Hosting.Auth;
using BankClientele.Portal.Localization;
using BankClientele.Portal.Services;
using static BankClientele.Portal.Localization.Text;

namespace BankClientele.Portal.Exports;

/// <summary>The acquisition pages' tables: campaigns, channels, ranked segments, leads, partners.</summary>
internal static class AcquisitionExports
{
    public static async Task<ExportTable> CampaignsAsync(ServiceApi api, IQueryCollection query, CancellationToken ct)
    {
        var campaigns = await api.CampaignsAsync(ct);
        string[] columns = [T("Acq.Campaign"), T("Acq.Wizard.Name"), T("Acq.Kind"), T("Branch"), T("Acq.Status"), T("Acq.Budget"), T("Acq.Leads.Count"),
            T("Acq.Stage.Contacted"), T("Acq.Stage.Interested"), T("Acq.Stage.Appointment"), T("Acq.Opened"), T("Acq.Activated"),
            T("Acq.Deposits30"), T("Acq.Deposits90"), T("Acq.Cost"), T("Acq.Cac"), T("Acq.CostPerActivated"), T("Acq.DaysToConvert")];
        var rows = campaigns.Ok
            ? campaigns.Value!.Select(c => new object?[] { c.Code, c.Name, T("Acq.Kind." + c.Kind), c.BranchCode, T("Acq.CampaignStatus." + c.Status), c.Budget, c.Leads, c.Contacted,
                c.Interested, c.Appointments, c.AccountsOpened, c.Activated, c.DepositsAfter30Days, c.DepositsAfter90Days, c.Cost, c.Cac,
                c.CostPerActivated, c.AverageDaysToConvert }).ToList()
            : [];
        return new ExportTable("campaigns", columns, rows, campaigns.Problem);
    }

    public static async Task<ExportTable> ChannelsAsync(ServiceApi api, IQueryCollection query, CancellationToken ct)
    {
        var channels = await api.ChannelFiguresAsync(ct);
        string[] columns = [T("Acq.Channel"), T("Acq.Leads.Count"), T("Acq.Stage.Contacted"), T("Acq.Stage.Interested"), T("Acq.Stage.Appointment"),
            T("Acq.Opened"), T("Acq.Activated"), T("Acq.Deposits30"), T("Acq.Deposits90"), T("Acq.Cost"), T("Acq.Cac"), T("Acq.CostPerActivated"),
            T("Acq.DaysToConvert")];
        var rows = channels.Ok
            ? channels.Value!.Select(c => new object?[] { T("Acq.LeadChannel." + c.Channel), c.Leads, c.Contacted, c.Interested, c.Appointments,
                c.AccountsOpened, c.Activated, c.DepositsAfter30Days, c.DepositsAfter90Days, c.Cost, c.Cac, c.CostPerActivated, c.AverageDaysToConvert }).ToList()
            : [];
        return new ExportTable("channels", columns, rows, channels.Problem);
    }

    /// <summary>The ranked segments of <c>?branch=</c> (or the user's branch), grouped by <c>?by=</c>.</summary>
    public static async Task<ExportTable> SegmentsAsync(ServiceApi api, IQueryCollection query, CancellationToken ct)
    {
        string[] columns = ["#", T("Acq.Segment"), T("Acq.Size"), T("Acq.Reachable"), T("Acq.ExpectedValue"), T("Acq.Basis"),
            T("Acq.Reachability"), T("Acq.SizeScore"), T("Acq.Profitability"), T("Acq.Fit"), T("Acq.Score")];
        var branch = query["branch"].FirstOrDefault();
        if (string.IsNullOrWhiteSpace(branch))
        {
            return new ExportTable("segments", columns, [], "Name the branch (?branch=).");
        }
        var segments = await api.SegmentsAsync(branch, ct, query["by"].FirstOrDefault());
        var rows = segments.Ok
            ? segments.Value!.Select(s => new object?[] { s.Rank, SegmentLabels.Of(s), s.Size, s.Reachable, s.ExpectedValue, T("Acq.Basis." + s.ProfitabilityBasis),
                s.Reachability, s.SizeScore, s.Profitability, s.Fit, s.Score }).ToList()
            : [];
        return new ExportTable("segments", columns, rows, segments.Problem);
    }

    /// <summary>Leads (masked, as the page shows them), of <c>?campaign=</c> when given.</summary>
    public static async Task<ExportTable> LeadsAsync(ServiceApi api, IQueryCollection query, CancellationToken ct)
    {
        var leads = await api.LeadsAsync(query["campaign"].FirstOrDefault(), ct);
        string[] columns = [T("Acq.Name"), T("Acq.Phone"), T("Branch"), T("Acq.Campaign"), T("Acq.Status"), T("Acq.Channel"), T("Acq.Consent"),
            T("Acq.NextAction"), T("Acq.Due")];
        var rows = leads.Ok
            ? leads.Value!.Select(l => new object?[] { l.FullName, l.PhoneMasked, l.BranchCode, l.CampaignCode, T("Acq.Stage." + l.Status),
                T("Acq.LeadChannel." + l.Channel), l.MarketingConsent ? T("Acq.Yes") : T("Acq.No"), T("Acq.Next." + l.NextAction),
                l.NextActionOn?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) }).ToList()
            : [];
        return new ExportTable("leads", columns, rows, leads.Problem);
    }

    public static async Task<ExportTable> PartnersAsync(ServiceApi api, IQueryCollection query, CancellationToken ct)
    {
        var partners = await api.PartnersAsync(ct);
        string[] columns = [T("Acq.Partners"), T("Acq.Wizard.Name"), T("Branch"), T("Acq.Referral"), T("Acq.Fee"), T("Acq.Referrals"), T("Acq.Conversions"), T("Acq.Cost")];
        var rows = partners.Ok
            ? partners.Value!.Select(p => new object?[] { p.Code, p.Name, p.BranchCode, p.ReferralCode, p.FeePerConversion, p.Referrals, p.Conversions, p.Cost }).ToList()
            : [];
        return new ExportTable("partners", columns, rows, partners.Problem);
    }
}
