using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BankClientele.Acquisition.Customers;

/// <summary>
/// Insights' latest CLV of an existing customer (from CustomerSegmentChanged). Kept apart from
/// <see cref="ExistingCustomer"/> so it lands whichever event arrives first; joined to the converted
/// prospects' profiles (and the branch) it gives the CLV of customers similar to a segment.
/// </summary>
public sealed class CustomerValue
{
    public Guid CustomerId { get; init; }
    public required string BranchCode { get; set; }
    public decimal ExpectedLifetimeValue { get; set; }
    public DateTimeOffset ComputedAt { get; set; }
}

internal sealed class CustomerValueConfiguration : IEntityTypeConfiguration<CustomerValue>
{
    public void Configure(EntityTypeBuilder<CustomerValue> e)
    {
        e.HasKey(v => v.CustomerId);
        e.Property(v => v.BranchCode).HasMaxLength(20);
        e.Property(v => v.ExpectedLifetimeValue).HasPrecision(18, 2);
        e.HasIndex(v => v.BranchCode);
    }
}
