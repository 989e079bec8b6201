using BankClientele.Hosting.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BankClientele.FootTraffic.Staffing;

/// <summary>The branch's standing weekly roster: counters open in a weekday's (ISO, 1 = Monday) local hour.</summary>
public sealed class RosterSlot : IBranchOwned
{
    public required string BranchCode { get; init; }
    public int Weekday { get; init; }
    public int Hour { get; init; }
    public int Counters { get; set; }

    /// <summary>Greeters (大堂引导) on the floor in that hour: they check visitors in and steer them, no counter of their own.</summary>
    public int Greeters { get; set; }
}

public sealed class RosterSlotConfiguration : IEntityTypeConfiguration<RosterSlot>
{
    public void Configure(EntityTypeBuilder<RosterSlot> e)
    {
        e.ToTable("roster_slots");
        e.HasKey(r => new { r.BranchCode, r.Weekday, r.Hour });
        e.Property(r => r.BranchCode).HasMaxLength(20);
    }
}
