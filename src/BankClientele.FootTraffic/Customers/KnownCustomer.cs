using BankClientele.Hosting.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BankClientele.FootTraffic.Customers;

/// <summary>
/// What FootTraffic knows of a customer, learnt from CustomerCare's and Insights' events only: enough
/// to recognise them at the door (customer number, phone hash) and to target lobby events (tier; value segment and lifecycle stage in <see cref="CustomerSegment"/>).
/// </summary>
public sealed class KnownCustomer : IBranchOwned
{
    public Guid CustomerId { get; init; }
    public required string CustomerNumber { get; set; }
    public required string BranchCode { get; set; }
    public string? PhoneHash { get; set; }
    public required string Tier { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed class KnownCustomerConfiguration : IEntityTypeConfiguration<KnownCustomer>
{
    public void Configure(EntityTypeBuilder<KnownCustomer> e)
    {
        e.ToTable("known_customers");
        e.HasKey(c => c.CustomerId);
        e.Property(c => c.CustomerNumber).HasMaxLength(20);
        e.Property(c => c.BranchCode).HasMaxLength(20);
        e.Property(c => c.PhoneHash).HasMaxLength(64);
        e.Property(c => c.Tier).HasMaxLength(20);
        e.HasIndex(c => c.PhoneHash);
        e.HasIndex(c => new { c.BranchCode, c.Tier });
    }
}
