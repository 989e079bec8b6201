using Microsoft.EntityFrameworkCore;

namespace BankClientele.Acquisition.Campaigns;

/// <summary>A campaign's funnel and money, as the figures page shows them.</summary>
public sealed record CampaignFigures(
    string Code, string Name, string Kind, string BranchCode, string Status, decimal Budget,
    int Leads, int Contacted, int Interested, int Appointments, int AccountsOpened, int Activated,
    decimal DepositsAfter30Days, decimal DepositsAfter90Days, decimal Cost, double? AverageDaysToConvert)
{
    /// <summary>Customer acquisition cost: cost per account opened (null before the first).</summary>
    public decimal? Cac => CampaignMath.PerUnit(Cost, AccountsOpened);
    public decimal? CostPerActivated => CampaignMath.PerUnit(Cost, Activated);
    public double ConversionRate => CampaignMath.Rate(AccountsOpened, Leads);
}

/// <summary>A lead channel's funnel and money: leads arriving by it, costs booked to it.</summary>
public sealed record ChannelFigures(
    string Channel, int Leads, int Contacted, int Interested, int Appointments, int AccountsOpened, int Activated,
    decimal DepositsAfter30Days, decimal DepositsAfter90Days, decimal Cost, double? AverageDaysToConvert)
{
    public decimal? Cac => CampaignMath.PerUnit(Cost, AccountsOpened);
    public decimal? CostPerActivated => CampaignMath.PerUnit(Cost, Activated);
    public double ConversionRate => CampaignMath.Rate(AccountsOpened, Leads);
    public double ContactedRate => CampaignMath.Rate(Contacted, Leads);
    public double InterestedRate => CampaignMath.Rate(Interested, Contacted);
    public double AppointmentRate => CampaignMath.Rate(Appointments, Interested);
    public double OpenedRate => CampaignMath.Rate(AccountsOpened, Appointments);
    public double ActivatedRate => CampaignMath.Rate(Activated, AccountsOpened);
}

public static class CampaignMath
{
    public static decimal? PerUnit(decimal cost, int units) => units > 0 ? Math.Round(cost / units, 2) : null;

    public static double Rate(int part, int whole) => whole > 0 ? Math.Round((double)part / whole, 4) : 0;
}

/// <summary>
/// The figures from the pre-aggregated <see cref="LeadStageCount"/> (kept by triggers on prospects)
/// and the costs: a few hundred rows however many leads there are.
/// </summary>
public static class CampaignFigureQueries
{
    private sealed record Row(
        string Code, string Name, string Kind, string BranchCode, string Status, decimal Budget,
        long Leads, long Contacted, long Interested, long Appointments, long AccountsOpened, long Activated,
        decimal Deposits30, decimal Deposits90, decimal Cost, double? DaysToConvert);

    public static async Task<List<CampaignFigures>> ForCampaignsAsync(AcquisitionDbContext db, string? branchCode, string? code, CancellationToken ct)
    {
        var rows = await db.Database.SqlQuery<Row>($"""
            WITH leads AS (
                SELECT campaign_code, sum(leads) AS leads, sum(contacted) AS contacted, sum(interested) AS interested,
                       sum(appointments) AS appointments, sum(accounts_opened) AS accounts_opened, sum(activated) AS activated,
                       sum(deposits30) AS deposits30, sum(deposits90) AS deposits90,
                       (sum(convert_days) / nullif(sum(converted_timed), 0))::float8 AS days_to_convert
                FROM lead_stage_counts
                WHERE campaign_code <> '' AND ({code}::text IS NULL OR campaign_code = {code})
                GROUP BY campaign_code),
            costs AS (SELECT campaign_code, sum(amount) AS cost FROM campaign_costs
                      WHERE {code}::text IS NULL OR campaign_code = {code} GROUP BY campaign_code)
            SELECT c.code, c.name, c.kind, c.branch_code, c.status, c.budget,
                   coalesce(l.leads, 0)::bigint AS leads, coalesce(l.contacted, 0)::bigint AS contacted, coalesce(l.interested, 0)::bigint AS interested,
                   coalesce(l.appointments, 0)::bigint AS appointments, coalesce(l.accounts_opened, 0)::bigint AS accounts_opened,
                   coalesce(l.activated, 0)::bigint AS activated, coalesce(l.deposits30, 0) AS deposits30, coalesce(l.deposits90, 0) AS deposits90,
                   coalesce(k.cost, 0) AS cost, l.days_to_convert
            FROM campaigns c
            LEFT JOIN leads l ON l.campaign_code = c.code
            LEFT JOIN costs k ON k.campaign_code = c.code
            WHERE ({branchCode}::text IS NULL OR c.branch_code = {branchCode}) AND ({code}::text IS NULL OR c.code = {code})
            ORDER BY c.starts_on DESC, c.code
            """).ToListAsync(ct);
        return rows.Select(r => new CampaignFigures(
            r.Code, r.Name, r.Kind, r.BranchCode, r.Status, r.Budget, (int)r.Leads, (int)r.Contacted, (int)r.Interested,
            (int)r.Appointments, (int)r.AccountsOpened, (int)r.Activated, r.Deposits30, r.Deposits90, r.Cost,
            r.DaysToConvert is { } d ? Math.Round(d, 1) : null)).ToList();
    }

    private sealed record ChannelRow(
        string Channel, long Leads, long Contacted, long Interested, long Appointments, long AccountsOpened, long Activated,
        decimal Deposits30, decimal Deposits90, decimal Cost, double? DaysToConvert);

    /// <summary>Per lead channel: the leads of the branch (or all) by the channel they arrived through, and the costs booked to it.</summary>
    public static async Task<List<ChannelFigures>> ForChannelsAsync(AcquisitionDbContext db, string? branchCode, CancellationToken ct)
    {
        var rows = await db.Database.SqlQuery<ChannelRow>($"""
            WITH leads AS (
                SELECT channel, sum(leads) AS leads, sum(contacted) AS contacted, sum(interested) AS interested,
                       sum(appointments) AS appointments, sum(accounts_opened) AS accounts_opened, sum(activated) AS activated,
                       sum(deposits30) AS deposits30, sum(deposits90) AS deposits90,
                       (sum(convert_days) / nullif(sum(converted_timed), 0))::float8 AS days_to_convert
                FROM lead_stage_counts
                WHERE {branchCode}::text IS NULL OR branch_code = {branchCode}
                GROUP BY channel),
            costs AS (
                SELECT k.channel, sum(k.amount) AS cost FROM campaign_costs k JOIN campaigns c ON c.code = k.campaign_code
                WHERE {branchCode}::text IS NULL OR c.branch_code = {branchCode}
                GROUP BY k.channel)
            SELECT coalesce(l.channel, k.channel) AS channel,
                   coalesce(l.leads, 0)::bigint AS leads, coalesce(l.contacted, 0)::bigint AS contacted, coalesce(l.interested, 0)::bigint AS interested,
                   coalesce(l.appointments, 0)::bigint AS appointments, coalesce(l.accounts_opened, 0)::bigint AS accounts_opened,
                   coalesce(l.activated, 0)::bigint AS activated, coalesce(l.deposits30, 0) AS deposits30, coalesce(l.deposits90, 0) AS deposits90,
                   coalesce(k.cost, 0) AS cost, l.days_to_convert
            FROM leads l FULL JOIN costs k ON k.channel = l.channel
            WHERE coalesce(l.leads, 0) > 0 OR coalesce(k.cost, 0) > 0
            ORDER BY 1
            """).ToListAsync(ct);
        return rows.Select(r => new ChannelFigures(r.Channel, (int)r.Leads, (int)r.Contacted, (int)r.Interested, (int)r.Appointments,
            (int)r.AccountsOpened, (int)r.Activated, r.Deposits30, r.Deposits90, r.Cost, r.DaysToConvert is { } d ? Math.Round(d, 1) : null)).ToList();
    }
}
