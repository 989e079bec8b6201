using BankClientele.Hosting.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BankClientele.Insights.Store;

/// <summary>
/// What a customer is grouped by in the uplift tables: tier (CustomerTierChanged), relationship
/// manager (RelationshipManagerAssigned), value segment and lifecycle stage (Insights' own
/// CustomerSegmentChanged). Each
/// attribute keeps the time of the event that set it, so an older event arriving late (or again)
/// never overwrites a newer one.
/// </summary>
public sealed class CustomerAttributes : IBranchOwned
{
    public Guid CustomerId { get; init; }
    public required string BranchCode { get; init; }
    public string? Tier { get; init; }
    public DateTimeOffset? TierChangedAt { get; init; }
    public string? RelationshipManagerId { get; init; }
    public DateTimeOffset? AssignedAt { get; init; }

    /// <summary>CustomerCare's assignment version of the manager event applied last (0: none, or unversioned).</summary>
    public long AssignmentVersion { get; init; }
    public string? Segment { get; init; }
    public string? LifecycleStage { get; init; }
    public DateTimeOffset? SegmentChangedAt { get; init; }
}

/// <summary>
/// The uplift store: deposits summed per day, branch and group of one dimension (branch, tier,
/// manager, segment, campaign arm, audience), so any period against any baseline is an index range
/// scan over a few rows per branch and day instead of every customer's balance.
/// </summary>
public sealed class DailyGroupDeposits : IBranchOwned
{
    public required string Dimension { get; init; }
    public DateOnly Day { get; init; }
    public required string BranchCode { get; init; }
    public required string GroupKey { get; init; }
    public int Customers { get; init; }
    public decimal Deposit { get; init; }
}

/// <summary>A branch whose grouped rows must be rebuilt because a customer's tier, manager, segment or campaign changed.</summary>
public sealed class UpliftStaleBranch
{
    public required string BranchCode { get; init; }
    public DateTimeOffset MarkedAt { get; init; }

    /// <summary>
    /// The newest transaction id (<c>pg_current_xact_id</c>) that marked it: only the branch's days grouped by a statement
    /// that may not have seen that transaction are rebuilt (<see cref="BranchDailyDeposits.GroupedXmin"/>). Null: every day.
    /// </summary>
    public long? MarkedXid { get; init; }
}

/// <summary>
/// The day of a customer's first stored balance (their <c>joined</c> month), kept as chunks land, so
/// a regroup joins one row per customer instead of looking up each balance's earliest day.
/// </summary>
public sealed class CustomerFirstBalance
{
    public Guid CustomerId { get; init; }
    public DateOnly FirstDay { get; init; }
}

/// <summary>
/// A branch-day whose balances landed since its grouped rows were last written: the queue of
/// <see cref="UpliftStoreRegrouper"/>, which regroups a branch's pending days in one statement.
/// </summary>
public sealed class UpliftPendingDay
{
    public required string BranchCode { get; init; }
    public DateOnly Day { get; init; }
}

/// <summary>A check-in at a lobby event (LobbyEventAttended): where and when a branch held its events.</summary>
public sealed class LobbyAttendance : IBranchOwned
{
    public Guid AttendanceId { get; init; }
    public Guid LobbyEventId { get; init; }
    public required string BranchCode { get; init; }
    public Guid? CustomerId { get; init; }
    public DateTimeOffset CheckedInAt { get; init; }
}

public sealed class CustomerAttributesConfiguration : IEntityTypeConfiguration<CustomerAttributes>
{
    public void Configure(EntityTypeBuilder<CustomerAttributes> e)
    {
        e.ToTable("customer_attributes");
        e.HasKey(c => c.CustomerId);
        e.Property(c => c.BranchCode).HasMaxLength(20);
        e.Property(c => c.Tier).HasMaxLength(20);
        e.Property(c => c.RelationshipManagerId).HasMaxLength(40);
        e.Property(c => c.Segment).HasMaxLength(40);
        e.Property(c => c.LifecycleStage).HasMaxLength(20);
    }
}

public sealed class DailyGroupDepositsConfiguration : IEntityTypeConfiguration<DailyGroupDeposits>
{
    public void Configure(EntityTypeBuilder<DailyGroupDeposits> e)
    {
        e.ToTable("daily_group_deposits");
        // Dimension and day lead: every uplift query reads one dimension over two day ranges.
        e.HasKey(d => new { d.Dimension, d.Day, d.BranchCode, d.GroupKey });
        e.Property(d => d.Dimension).HasMaxLength(20);
        e.Property(d => d.BranchCode).HasMaxLength(20);
        e.Property(d => d.GroupKey).HasMaxLength(60);
        e.Property(d => d.Deposit).HasPrecision(20, 2);
        e.HasIndex(d => new { d.BranchCode, d.Day });
    }
}

public sealed class UpliftStaleBranchConfiguration : IEntityTypeConfiguration<UpliftStaleBranch>
{
    public void Configure(EntityTypeBuilder<UpliftStaleBranch> e)
    {
        e.ToTable("uplift_stale_branches");
        e.HasKey(b => b.BranchCode);
        e.Property(b => b.BranchCode).HasMaxLength(20);
    }
}

public sealed class CustomerFirstBalanceConfiguration : IEntityTypeConfiguration<CustomerFirstBalance>
{
    public void Configure(EntityTypeBuilder<CustomerFirstBalance> e)
    {
        e.ToTable("customer_first_balances");
        e.HasKey(f => f.CustomerId);
    }
}

public sealed class UpliftPendingDayConfiguration : IEntityTypeConfiguration<UpliftPendingDay>
{
    public void Configure(EntityTypeBuilder<UpliftPendingDay> e)
    {
        e.ToTable("uplift_pending_days");
        e.HasKey(d => new { d.BranchCode, d.Day });
        e.Property(d => d.BranchCode).HasMaxLength(20);
    }
}

public sealed class LobbyAttendanceConfiguration : IEntityTypeConfiguration<LobbyAttendance>
{
    public void Configure(EntityTypeBuilder<LobbyAttendance> e)
    {
        e.ToTable("lobby_attendance");
        e.HasKey(a => a.AttendanceId);
        e.Property(a => a.BranchCode).HasMaxLength(20);
        e.HasIndex(a => new { a.BranchCode, a.CheckedInAt });
    }
}
