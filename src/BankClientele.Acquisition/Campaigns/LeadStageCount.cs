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
    public static async Task TakeAsync(AcquisitionDbContext db, CancellationToken ct) =>
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended('acquisition:lead-stage-counts', 0))", ct);
}
