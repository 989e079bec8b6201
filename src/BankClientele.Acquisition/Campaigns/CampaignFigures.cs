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

public sealed record ChannelFigures(string Channel, int Leads, int Contacted, int AccountsOpened, int Activated, decimal DepositsAfter90Days, double? AverageDaysToConvert)
{
    public double ConversionRate => CampaignMath.Rate(AccountsOpened, Leads);
}

public static class CampaignMath
{
    public static decimal? PerUnit(decimal cost, int units) => units > 0 ? Math.Round(cost / units, 2) : null;

    public static double Rate(int part, int whole) => whole > 0 ? Math.Round((double)part / whole, 4) : 0;
}

/// <summary>
/// The figures, set-based in one statement over leads and costs (an index-free scan of prospects
/// grouped by campaign), so a million leads take well under a second.
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
                SELECT campaign_code,
                       count(*) AS leads,
                       count(contacted_at) AS contacted,
                       count(interested_at) AS interested,
                       count(appointment_at) AS appointments,
                       count(customer_id) AS accounts_opened,
                       count(activated_at) AS activated,
                       coalesce(sum(deposit_after30days), 0) AS deposits30,
                       coalesce(sum(deposit_after90days), 0) AS deposits90,
                       avg(extract(epoch FROM converted_at - created_at) / 86400.0)::float8 AS days_to_convert
                FROM prospects
                WHERE campaign_code IS NOT NULL AND ({code}::text IS NULL OR campaign_code = {code})
                GROUP BY campaign_code),
            costs AS (SELECT campaign_code, sum(amount) AS cost FROM campaign_costs GROUP BY campaign_code)
            SELECT c.code, c.name, c.kind, c.branch_code, c.status, c.budget,
                   coalesce(l.leads, 0) AS leads, coalesce(l.contacted, 0) AS contacted, coalesce(l.interested, 0) AS interested,
                   coalesce(l.appointments, 0) AS appointments, coalesce(l.accounts_opened, 0) AS accounts_opened,
                   coalesce(l.activated, 0) AS activated, coalesce(l.deposits30, 0) AS deposits30, coalesce(l.deposits90, 0) AS deposits90,
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

    private sealed record ChannelRow(string Channel, long Leads, long Contacted, long AccountsOpened, long Activated, decimal Deposits90, double? DaysToConvert);

    public static async Task<List<ChannelFigures>> ForChannelsAsync(AcquisitionDbContext db, string? branchCode, CancellationToken ct)
    {
        var rows = await db.Database.SqlQuery<ChannelRow>($"""
            SELECT channel, count(*) AS leads, count(contacted_at) AS contacted, count(customer_id) AS accounts_opened,
                   count(activated_at) AS activated, coalesce(sum(deposit_after90days), 0) AS deposits90,
                   avg(extract(epoch FROM converted_at - created_at) / 86400.0)::float8 AS days_to_convert
            FROM prospects
            WHERE {branchCode}::text IS NULL OR branch_code = {branchCode}
            GROUP BY channel ORDER BY channel
            """).ToListAsync(ct);
        return rows.Select(r => new ChannelFigures(r.Channel, (int)r.Leads, (int)r.Contacted, (int)r.AccountsOpened, (int)r.Activated, r.Deposits90,
            r.DaysToConvert is { } d ? Math.Round(d, 1) : null)).ToList();
    }
}
