using BankClientele.Hosting.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BankClientele.Insights.Holdings;

/// <summary>An account a customer opened (AccountOpened): the holdings side of the analytic store.</summary>
public sealed class AnalyticAccount : IBranchOwned
{
    public required string AccountNumber { get; init; }
    public Guid CustomerId { get; init; }
    public required string BranchCode { get; init; }
    public required string ProductCode { get; init; }
    public DateOnly OpenedOn { get; init; }
    public decimal FirstDeposit { get; init; }
    public bool FirstAccountOfCustomer { get; init; }
}

/// <summary>
/// Accounts opened per branch, product and day, added to as each new account lands (a redelivered
/// or re-sent account adds nothing), so a period's product mix reads a few hundred rows, not every account.
/// </summary>
public sealed class BranchProductDay : IBranchOwned
{
    public required string BranchCode { get; init; }
    public required string ProductCode { get; init; }
    public DateOnly Day { get; init; }
    public int Accounts { get; init; }
    /// <summary>Accounts that were their customer's first: customers new to the bank through this product.</summary>
    public int FirstAccounts { get; init; }
    public decimal FirstDeposits { get; init; }
}

public sealed class HoldingConfiguration : IEntityTypeConfiguration<AnalyticAccount>, IEntityTypeConfiguration<BranchProductDay>
{
    public void Configure(EntityTypeBuilder<AnalyticAccount> e)
    {
        e.ToTable("analytic_accounts");
        e.HasKey(a => a.AccountNumber);
        e.Property(a => a.AccountNumber).HasMaxLength(40);
        e.Property(a => a.BranchCode).HasMaxLength(20);
        e.Property(a => a.ProductCode).HasMaxLength(40);
        e.Property(a => a.FirstDeposit).HasPrecision(18, 2);
        // Holders and penetration per branch and product: distinct customers of a branch's accounts.
        e.HasIndex(a => new { a.BranchCode, a.ProductCode, a.CustomerId });
    }

    public void Configure(EntityTypeBuilder<BranchProductDay> e)
    {
        e.ToTable("branch_product_days");
        e.HasKey(d => new { d.BranchCode, d.ProductCode, d.Day });
        e.Property(d => d.BranchCode).HasMaxLength(20);
        e.Property(d => d.ProductCode).HasMaxLength(40);
        e.Property(d => d.FirstDeposits).HasPrecision(22, 2);
        e.HasIndex(d => d.Day);
    }
}
