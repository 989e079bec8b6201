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
