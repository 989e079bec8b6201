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
/// Whom a conversion (account opened, activation, deposits, days to convert) is credited to in the
/// figures. <see cref="Lead"/> (the default, as before): the lead's own campaign and arrival channel.
/// <see cref="First"/>/<see cref="Last"/>: the first/last touch at or before the opening (for a
/// campaign, the first/last touch naming a campaign). Leads and the stages before the opening always
/// count by the lead's own campaign and channel: they are not conversions.
/// </summary>
public enum FigureAttribution
{
    Lead,
    First,
    Last,
}

public static class FigureAttributions
{
    /// <summary>The query value (absent = lead), or null for one that is not first, last or lead.</summary>
    public static FigureAttribution? Parse(string? value) => value?.ToLowerInvariant() switch
    {
        null or "" or "lead" => FigureAttribution.Lead,
        "first" => FigureAttribution.First,
        "last" => FigureAttribution.Last,
        _ => null,
    };

    public static string ToQuery(this FigureAttribution attribution) => attribution.ToString().ToLowerInvariant();
}

/// <summary>
/// The figures: leads and their stages from the pre-aggregated <see cref="LeadStageCount"/> (kept by
/// triggers on prospects: a few hundred rows however many leads there are); conversions from the
/// converted prospects themselves (found through the partial index on customer_id) and their touches,
/// because who they are credited to and how long they took depend on the touches:
/// <list type="bullet">
/// <item>days to convert: from the first touch at or before the opening to the opening; touches after
/// the opening do not count, and a conversion with no touch before its opening is not timed (never a
/// negative time);</item>
/// <item>deposits after 30/90 days: the sum of the converted customers' deposit balances N days after
/// the opening day (see ConvertedCustomerDepositsConsumer), not an inflow.</item>
/// </list>
/// </summary>
public static class CampaignFigureQueries
{
    private sealed record Row(
        string Code, string Name, string Kind, string BranchCode, string Status, decimal Budget,
        long Leads, long Contacted, long Interested, long Appointments, long AccountsOpened, long Activated,
        decimal Deposits30, decimal Deposits90, decimal Cost, double? DaysToConvert);

    public static async Task<List<CampaignFigures>> ForCampaignsAsync(
        AcquisitionDbContext db, string[]? branches, string? code, CancellationToken ct, FigureAttribution attribution = FigureAttribution.Lead)
    {
        var mode = attribution.ToQuery();
        var rows = await db.Database.SqlQuery<Row>($"""
            WITH leads AS (
                SELECT campaign_code, sum(leads) AS leads, sum(contacted) AS contacted, sum(interested) AS interested,
                       sum(appointments) AS appointments
                FROM lead_stage_counts
                WHERE campaign_code <> '' AND ({code}::text IS NULL OR campaign_code = {code})
                GROUP BY campaign_code),
            converted AS (
                SELECT CASE {mode}::text WHEN 'first' THEN fc.campaign_code WHEN 'last' THEN lc.campaign_code ELSE p.campaign_code END AS campaign_code,
                       p.activated_at, p.deposit_after30days, p.deposit_after90days,
                       extract(epoch FROM p.converted_at - ft.at) / 86400.0 AS days
                FROM prospects p
                LEFT JOIN LATERAL (SELECT t.at FROM prospect_touches t WHERE t.prospect_id = p.id AND t.at <= p.converted_at
                                   ORDER BY t.at, t.id LIMIT 1) ft ON true
                LEFT JOIN LATERAL (SELECT t.campaign_code FROM prospect_touches t WHERE {mode}::text = 'first' AND t.prospect_id = p.id
                                   AND t.at <= p.converted_at AND t.campaign_code IS NOT NULL ORDER BY t.at, t.id LIMIT 1) fc ON true
                LEFT JOIN LATERAL (SELECT t.campaign_code FROM prospect_touches t WHERE {mode}::text = 'last' AND t.prospect_id = p.id
                                   AND t.at <= p.converted_at AND t.campaign_code IS NOT NULL ORDER BY t.at DESC, t.id DESC LIMIT 1) lc ON true
                WHERE p.customer_id IS NOT NULL AND p.converted_at IS NOT NULL),
            conversions AS (
                SELECT campaign_code, count(*) AS accounts_opened, count(activated_at) AS activated,
                       sum(coalesce(deposit_after30days, 0)) AS deposits30, sum(coalesce(deposit_after90days, 0)) AS deposits90,
                       avg(days)::float8 AS days_to_convert
                FROM converted
                WHERE campaign_code IS NOT NULL AND ({code}::text IS NULL OR campaign_code = {code})
                GROUP BY campaign_code),
            costs AS (SELECT campaign_code, sum(amount) AS cost FROM campaign_costs
                      WHERE {code}::text IS NULL OR campaign_code = {code} GROUP BY campaign_code)
            SELECT c.code, c.name, c.kind, c.branch_code, c.status, c.budget,
                   coalesce(l.leads, 0)::bigint AS leads, coalesce(l.contacted, 0)::bigint AS contacted, coalesce(l.interested, 0)::bigint AS interested,
                   coalesce(l.appointments, 0)::bigint AS appointments, coalesce(v.accounts_opened, 0)::bigint AS accounts_opened,
                   coalesce(v.activated, 0)::bigint AS activated, coalesce(v.deposits30, 0) AS deposits30, coalesce(v.deposits90, 0) AS deposits90,
                   coalesce(k.cost, 0) AS cost, v.days_to_convert
            FROM campaigns c
            LEFT JOIN leads l ON l.campaign_code = c.code
            LEFT JOIN conversions v ON v.campaign_code = c.code
            LEFT JOIN costs k ON k.campaign_code = c.code
            WHERE ({branches}::text[] IS NULL OR c.branch_code = ANY({branches})) AND ({code}::text IS NULL OR c.code = {code})
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

    /// <summary>
    /// Per lead channel: the leads of the branch (or all) by the channel they arrived through, their
    /// conversions by <paramref name="attribution"/> (a conversion with no touch before its opening
    /// stays with the lead's own channel), and the costs booked to the channel. A branch's figures are
    /// its own leads' wherever the account was opened and whichever branch made the touches.
    /// </summary>
    public static async Task<List<ChannelFigures>> ForChannelsAsync(
        AcquisitionDbContext db, string[]? branches, CancellationToken ct, FigureAttribution attribution = FigureAttribution.Lead)
    {
        var mode = attribution.ToQuery();
        var rows = await db.Database.SqlQuery<ChannelRow>($"""
            WITH leads AS (
                SELECT channel, sum(leads) AS leads, sum(contacted) AS contacted, sum(interested) AS interested,
                       sum(appointments) AS appointments
                FROM lead_stage_counts
                WHERE {branches}::text[] IS NULL OR branch_code = ANY({branches})
                GROUP BY channel),
            converted AS (
                SELECT CASE {mode}::text WHEN 'first' THEN coalesce(ft.channel, p.channel) WHEN 'last' THEN coalesce(lt.channel, p.channel) ELSE p.channel END AS channel,
                       p.activated_at, p.deposit_after30days, p.deposit_after90days,
                       extract(epoch FROM p.converted_at - ft.at) / 86400.0 AS days
                FROM prospects p
                LEFT JOIN LATERAL (SELECT t.at, t.channel FROM prospect_touches t WHERE t.prospect_id = p.id AND t.at <= p.converted_at
                                   ORDER BY t.at, t.id LIMIT 1) ft ON true
                LEFT JOIN LATERAL (SELECT t.channel FROM prospect_touches t WHERE {mode}::text = 'last' AND t.prospect_id = p.id
                                   AND t.at <= p.converted_at ORDER BY t.at DESC, t.id DESC LIMIT 1) lt ON true
                WHERE p.customer_id IS NOT NULL AND p.converted_at IS NOT NULL AND ({branches}::text[] IS NULL OR p.branch_code = ANY({branches}))),
            conversions AS (
                SELECT channel, count(*) AS accounts_opened, count(activated_at) AS activated,
                       sum(coalesce(deposit_after30days, 0)) AS deposits30, sum(coalesce(deposit_after90days, 0)) AS deposits90,
                       avg(days)::float8 AS days_to_convert
                FROM converted GROUP BY channel),
            costs AS (
                SELECT k.channel, sum(k.amount) AS cost FROM campaign_costs k JOIN campaigns c ON c.code = k.campaign_code
                WHERE {branches}::text[] IS NULL OR c.branch_code = ANY({branches})
                GROUP BY k.channel),
            channels AS (SELECT channel FROM leads UNION SELECT channel FROM conversions UNION SELECT channel FROM costs)
            SELECT ch.channel,
                   coalesce(l.leads, 0)::bigint AS leads, coalesce(l.contacted, 0)::bigint AS contacted, coalesce(l.interested, 0)::bigint AS interested,
                   coalesce(l.appointments, 0)::bigint AS appointments, coalesce(v.accounts_opened, 0)::bigint AS accounts_opened,
                   coalesce(v.activated, 0)::bigint AS activated, coalesce(v.deposits30, 0) AS deposits30, coalesce(v.deposits90, 0) AS deposits90,
                   coalesce(k.cost, 0) AS cost, v.days_to_convert
            FROM channels ch
            LEFT JOIN leads l ON l.channel = ch.channel
            LEFT JOIN conversions v ON v.channel = ch.channel
            LEFT JOIN costs k ON k.channel = ch.channel
            WHERE coalesce(l.leads, 0) > 0 OR coalesce(v.accounts_opened, 0) > 0 OR coalesce(k.cost, 0) > 0
            ORDER BY 1
            """).ToListAsync(ct);
        return rows.Select(r => new ChannelFigures(r.Channel, (int)r.Leads, (int)r.Contacted, (int)r.Interested, (int)r.Appointments,
            (int)r.AccountsOpened, (int)r.Activated, r.Deposits30, r.Deposits90, r.Cost, r.DaysToConvert is { } d ? Math.Round(d, 1) : null)).ToList();
    }
}
