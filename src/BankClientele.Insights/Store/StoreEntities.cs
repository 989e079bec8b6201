using BankClientele.Hosting.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BankClientele.Insights.Store;

/// <summary>
/// A customer as Insights knows it, from CustomerRegistered (the core-banking feed) or
/// ProspectConverted (an account opened): a converted prospect arrives as both, so this row is the
/// one place a customer is counted.
/// </summary>
public sealed class AnalyticCustomer : IBranchOwned
{
    public Guid CustomerId { get; init; }
    public required string CustomerNumber { get; init; }
    public required string BranchCode { get; init; }
    public DateTimeOffset FirstSeenAt { get; init; }
}

/// <summary>A customer's end-of-day deposit and wealth balances, from DailyBalancesRecorded.</summary>
public sealed class DailyBalance : IBranchOwned
{
    public Guid CustomerId { get; init; }
    public DateOnly Day { get; init; }
    public required string BranchCode { get; init; }
    public decimal Deposit { get; init; }
    public decimal Wealth { get; init; }

    /// <summary>
    /// The DailyBalancesRecorded the balance came from. Message ids are time-ordered (the outbox's order): a balance
    /// from an older message never replaces one from a newer, whatever order they arrive in. Null on rows stored before.
    /// </summary>
    public Guid? MessageId { get; init; }
}

/// <summary>Pre-aggregated per branch and day (recomputed from daily_balances as each chunk lands).</summary>
public sealed class BranchDailyDeposits : IBranchOwned
{
    public required string BranchCode { get; init; }
    public DateOnly Day { get; init; }
    public int Customers { get; init; }
    public decimal Deposit { get; init; }
    public decimal Wealth { get; init; }

    /// <summary>
    /// When the uplift store last grouped the day: the oldest transaction id still running then (<c>pg_snapshot_xmin</c>).
    /// Every transaction below it had ended, so a branch marked stale by one of them needs no rebuild of this day.
    /// Null: never grouped since it was stored.
    /// </summary>
    public long? GroupedXmin { get; init; }
}

/// <summary>A customer's place in a campaign's audience: treated, or held out as control.</summary>
public sealed class CampaignAudienceMember : IBranchOwned
{
    public required string CampaignCode { get; init; }
    public Guid CustomerId { get; init; }
    public required string BranchCode { get; init; }
    public bool Treated { get; init; }
    public DateOnly StartsOn { get; init; }
}

public sealed class AnalyticCustomerConfiguration : IEntityTypeConfiguration<AnalyticCustomer>
{
    public void Configure(EntityTypeBuilder<AnalyticCustomer> e)
    {
        e.ToTable("analytic_customers");
        e.HasKey(c => c.CustomerId);
        e.Property(c => c.CustomerNumber).HasMaxLength(40);
        e.Property(c => c.BranchCode).HasMaxLength(20);
    }
}

public sealed class DailyBalanceConfiguration : IEntityTypeConfiguration<DailyBalance>
{
    public void Configure(EntityTypeBuilder<DailyBalance> e)
    {
        e.ToTable("daily_balances");
        e.HasKey(b => new { b.CustomerId, b.Day });
        e.Property(b => b.BranchCode).HasMaxLength(20);
        e.Property(b => b.Deposit).HasPrecision(18, 2);
        e.Property(b => b.Wealth).HasPrecision(18, 2);
        e.HasIndex(b => new { b.BranchCode, b.Day });
    }
}

public sealed class BranchDailyDepositsConfiguration : IEntityTypeConfiguration<BranchDailyDeposits>
{
    public void Configure(EntityTypeBuilder<BranchDailyDeposits> e)
    {
        e.ToTable("branch_daily_deposits");
        e.HasKey(b => new { b.BranchCode, b.Day });
        e.Property(b => b.BranchCode).HasMaxLength(20);
        e.Property(b => b.Deposit).HasPrecision(20, 2);
        e.Property(b => b.Wealth).HasPrecision(20, 2);
    }
}

public sealed class CampaignAudienceMemberConfiguration : IEntityTypeConfiguration<CampaignAudienceMember>
{
    public void Configure(EntityTypeBuilder<CampaignAudienceMember> e)
    {
        e.ToTable("campaign_audience");
        e.HasKey(a => new { a.CampaignCode, a.CustomerId });
        // The uplift store looks a customer's campaigns up by customer.
        e.HasIndex(a => a.CustomerId);
        e.Property(a => a.CampaignCode).HasMaxLength(40);
        e.Property(a => a.BranchCode).HasMaxLength(20);
    }
}
