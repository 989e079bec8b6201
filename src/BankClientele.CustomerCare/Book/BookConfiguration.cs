using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BankClientele.CustomerCare.Book;

internal sealed class CustomerConfiguration : IEntityTypeConfiguration<Customer>
{
    public void Configure(EntityTypeBuilder<Customer> e)
    {
        e.Property(c => c.CustomerNumber).HasMaxLength(30);
        e.HasIndex(c => c.CustomerNumber).IsUnique();
        e.Property(c => c.FullName).HasMaxLength(100);
        e.Property(c => c.Phone).HasMaxLength(30);
        e.Property(c => c.BranchCode).HasMaxLength(20);
        e.Property(c => c.AccountNumber).HasMaxLength(40);
        e.Property(c => c.RelationshipManagerId).HasMaxLength(40);
        e.Property(c => c.InitialDeposit).HasPrecision(18, 2);
        e.Property(c => c.Gender).HasMaxLength(10);
        e.Property(c => c.IdType).HasMaxLength(20);
        e.Property(c => c.IdNumber).HasMaxLength(40);
        e.Property(c => c.PhoneHash).HasMaxLength(64);
        e.Property(c => c.IdNumberHash).HasMaxLength(64);
        e.Property(c => c.City).HasMaxLength(40);
        e.Property(c => c.District).HasMaxLength(40);
        e.Property(c => c.Occupation).HasMaxLength(60);
        e.Property(c => c.Tier).HasMaxLength(20);
        e.Property(c => c.AverageAssets).HasPrecision(18, 2);
        e.Property(c => c.DepositBalance).HasPrecision(18, 2);
        e.Property(c => c.WealthBalance).HasPrecision(18, 2);
        e.Property(c => c.LifecycleStage).HasMaxLength(20);
        e.Property(c => c.ValueSegment).HasMaxLength(40);
        e.Property(c => c.Rfm).HasMaxLength(3);
        e.Property(c => c.ExpectedLifetimeValue).HasPrecision(18, 2);
        e.HasIndex(c => new { c.BranchCode, c.RelationshipManagerId });
        e.HasIndex(c => new { c.BranchCode, c.Tier });
    }
}

internal sealed class HoldingConfiguration : IEntityTypeConfiguration<Holding>
{
    public void Configure(EntityTypeBuilder<Holding> e)
    {
        e.HasKey(h => h.AccountNumber);
        e.Property(h => h.AccountNumber).HasMaxLength(40);
        e.Property(h => h.ProductCode).HasMaxLength(40);
        e.Property(h => h.Balance).HasPrecision(18, 2);
        e.HasIndex(h => h.CustomerId);
        e.HasIndex(h => h.MaturesOn);
    }
}

internal sealed class DailyBalanceConfiguration : IEntityTypeConfiguration<DailyBalance>
{
    public void Configure(EntityTypeBuilder<DailyBalance> e)
    {
        e.HasKey(b => new { b.CustomerId, b.Date });
        e.Property(b => b.Deposit).HasPrecision(18, 2);
        e.Property(b => b.Wealth).HasPrecision(18, 2);
        e.HasIndex(b => b.Date);
    }
}
