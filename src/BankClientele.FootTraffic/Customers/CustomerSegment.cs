using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BankClientele.FootTraffic.Customers;

/// <summary>
/// Insights' latest segmentation of a customer (CustomerSegmentChanged), for targeting lobby events by
/// value segment or lifecycle stage. Kept apart from <see cref="KnownCustomer"/> so that it may arrive
/// before CustomerCare's registration of the customer; the newest computation wins whatever the order.
/// </summary>
public sealed class CustomerSegment
{
    public Guid CustomerId { get; init; }
    /// <summary>The branch as Insights had it; the directory's branch wins when the customer is known there.</summary>
    public required string BranchCode { get; set; }
    public required string Rfm { get; set; }
    public required string ValueSegment { get; set; }
    public required string LifecycleStage { get; set; }
    public DateTimeOffset ComputedAt { get; set; }
}

public sealed class CustomerSegmentConfiguration : IEntityTypeConfiguration<CustomerSegment>
{
    public void Configure(EntityTypeBuilder<CustomerSegment> e)
    {
        e.ToTable("customer_segments");
        e.HasKey(c => c.CustomerId);
        e.Property(c => c.BranchCode).HasMaxLength(20);
        e.Property(c => c.Rfm).HasMaxLength(10);
        e.Property(c => c.ValueSegment).HasMaxLength(40);
        e.Property(c => c.LifecycleStage).HasMaxLength(20);
        e.HasIndex(c => new { c.BranchCode, c.ValueSegment });
        e.HasIndex(c => new { c.BranchCode, c.LifecycleStage });
    }
}
