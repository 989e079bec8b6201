using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BankClientele.Acquisition.Campaigns;

/// <summary>
/// Leads pre-aggregated by campaign (empty for none), branch and arrival channel: how many reached
/// each stage, deposits, days to convert. Kept by statement-level triggers on <c>prospects</c>
/// (migration AcquisitionSegmentsChannels), so every insert, update or delete of leads, by EF or
/// the set-based import, moves the counts in its own transaction and the figures read a few hundred
/// rows instead of scanning every lead. Never written by the application. The figures read only the
/// lead and stage counts here: conversions (and their days, from the first touch before the opening,
/// not from the lead's creation as <see cref="ConvertDays"/> is kept) are read from the converted
/// prospects and their touches (CampaignFigureQueries).
/// </summary>
public sealed class LeadStageCount
{
    public required string CampaignCode { get; init; }
    public required string BranchCode { get; init; }
    public required string Channel { get; init; }
    public long Leads { get; init; }
    public long Contacted { get; init; }
    public long Interested { get; init; }
    public long Appointments { get; init; }
    public long AccountsOpened { get; init; }
    public long Activated { get; init; }
    public decimal Deposits30 { get; init; }
    public decimal Deposits90 { get; init; }

    /// <summary>Sum of days from lead to account over <see cref="ConvertedTimed"/> conversions.</summary>
    public double ConvertDays { get; init; }
    public long ConvertedTimed { get; init; }
}

internal sealed class LeadStageCountConfiguration : IEntityTypeConfiguration<LeadStageCount>
{
    public void Configure(EntityTypeBuilder<LeadStageCount> e)
    {
        e.HasKey(c => new { c.CampaignCode, c.BranchCode, c.Channel });
        e.Property(c => c.CampaignCode).HasMaxLength(40);
        e.Property(c => c.BranchCode).HasMaxLength(20);
        e.Property(c => c.Channel).HasMaxLength(30);
        e.Property(c => c.Deposits30).HasColumnType("numeric");
        e.Property(c => c.Deposits90).HasColumnType("numeric");
    }
}

/// <summary>
/// The one writer at a time of many leads' counts. The triggers lock each <see cref="LeadStageCount"/> row a statement moves
/// (in key order within the statement) until the transaction commits. A transaction that moves many leads over several
/// statements (a feed batch converting its prospects one by one, a message of deposits saving many prospects) takes those
/// rows in no particular order across its statements, so two of them at once deadlock: PostgreSQL aborts one, and after its
/// retries its messages went to the _error queue (issue #26). Such a transaction takes this lock first, in the transaction
/// (released at its commit or rollback, by every replica alike); single-lead writes need not.
/// </summary>
public static class LeadStageCountLock
{
    /// <summary>The lock, for a writer on a plain connection (the prospect import).</summary>
    public const string Sql = "SELECT pg_advisory_xact_lock(hashtextextended('acquisition:lead-stage-counts', 0))";

    public static async Task TakeAsync(AcquisitionDbContext db, CancellationToken ct) =>
        await db.Database.ExecuteSqlRawAsync(Sql, ct);
}

/// <summary>
/// The prospect import's lead counts, deferred to its end (migration LeadStageCountsDeferred). An import writes many
/// leads over several statements in one transaction that lasts seconds: with the triggers' own upserts it would hold
/// <see cref="LeadStageCount"/> rows from its first insert to its commit, so a conversion of a lead of the same campaign,
/// branch and channel waited the whole import, and one holding a row the import wanted next deadlocked with it. Deferred,
/// the triggers put each statement's deltas into the transaction's own temp table; the import then takes
/// <see cref="LeadStageCountLock"/> only for its last writes (known prospects updated, their deltas summed into the
/// counts in one statement, in key order) and its commit.
/// </summary>
public static class LeadStageCountDeltas
{
    /// <summary>From here to the commit, the triggers keep this transaction's deltas apart.</summary>
    public const string DeferSql = """
        SET LOCAL acquisition.lead_stage_counts = 'deferred';
        CREATE TEMP TABLE lead_stage_count_deltas (LIKE lead_stage_counts) ON COMMIT DROP;
        """;

    /// <summary>Adds the kept deltas to the counts: one statement, rows locked in key order (under <see cref="LeadStageCountLock"/>).</summary>
    public const string ApplySql = """
        INSERT INTO lead_stage_counts AS c (campaign_code, branch_code, channel, leads, contacted, interested, appointments, accounts_opened, activated, deposits30, deposits90, convert_days, converted_timed)
        SELECT campaign_code, branch_code, channel, sum(leads), sum(contacted), sum(interested), sum(appointments), sum(accounts_opened), sum(activated),
               sum(deposits30), sum(deposits90), sum(convert_days), sum(converted_timed)
        FROM lead_stage_count_deltas
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (campaign_code, branch_code, channel) DO UPDATE SET
            leads = c.leads + excluded.leads, contacted = c.contacted + excluded.contacted,
            interested = c.interested + excluded.interested, appointments = c.appointments + excluded.appointments,
            accounts_opened = c.accounts_opened + excluded.accounts_opened, activated = c.activated + excluded.activated,
            deposits30 = c.deposits30 + excluded.deposits30, deposits90 = c.deposits90 + excluded.deposits90,
            convert_days = c.convert_days + excluded.convert_days, converted_timed = c.converted_timed + excluded.converted_timed;
        TRUNCATE lead_stage_count_deltas;
        """;
}
