using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BankClientele.Acquisition.Customers;

internal sealed class ExistingCustomerConfiguration : IEntityTypeConfiguration<ExistingCustomer>
{
    public void Configure(EntityTypeBuilder<ExistingCustomer> e)
    {
        e.HasKey(c => c.CustomerId);
        e.Property(c => c.CustomerNumber).HasMaxLength(30);
        e.Property(c => c.BranchCode).HasMaxLength(20);
        e.Property(c => c.PhoneHash).HasMaxLength(64);
        e.Property(c => c.IdNumberHash).HasMaxLength(64);
        e.Property(c => c.Tier).HasMaxLength(30);
        e.HasIndex(c => c.CustomerNumber).IsUnique();
        e.HasIndex(c => c.PhoneHash);
        e.HasIndex(c => c.IdNumberHash);
        e.HasIndex(c => c.BranchCode);
    }
}
