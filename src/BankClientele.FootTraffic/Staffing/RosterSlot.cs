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

/// <summary>Who replaced a branch's weekly roster, when, and what it came to: for the audit log.</summary>
public sealed class RosterChange : IBranchOwned
{
    public Guid Id { get; init; }
    public required string BranchCode { get; init; }
    public required string ChangedBy { get; init; }
    public DateTimeOffset ChangedAt { get; init; }
    public int Slots { get; init; }
    public int CounterHours { get; init; }
    public int GreeterHours { get; init; }
}

public sealed class RosterChangeConfiguration : IEntityTypeConfiguration<RosterChange>
{
    public void Configure(EntityTypeBuilder<RosterChange> e)
    {
        e.ToTable("roster_changes");
        e.HasKey(r => r.Id);
        e.Property(r => r.BranchCode).HasMaxLength(20);
        e.Property(r => r.ChangedBy).HasMaxLength(40);
        e.HasIndex(r => new { r.BranchCode, r.ChangedAt });
    }
}
