using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BankClientele.Acquisition.Customers;

/// <summary>
/// Who looks after an existing customer now (from CustomerCare's RelationshipManagerAssigned): a targeted
/// campaign's treated customers go on their manager's worklist. Kept apart from <see cref="ExistingCustomer"/>
/// so it lands whichever event arrives first.
/// </summary>
public sealed class CustomerManager
{
    public Guid CustomerId { get; init; }
    /// <summary>Null once the customer went back to the branch pool (RelationshipManagerUnassigned).</summary>
    public string? RelationshipManagerId { get; set; }
    public required string BranchCode { get; set; }
    public DateTimeOffset AssignedAt { get; set; }

    /// <summary>CustomerCare's assignment version of the last event applied; an event of this version or lower is stale.</summary>
    public long Version { get; set; }
}

internal sealed class CustomerManagerConfiguration : IEntityTypeConfiguration<CustomerManager>
{
    public void Configure(EntityTypeBuilder<CustomerManager> e)
    {
        e.ToTable("customer_managers");
        e.HasKey(m => m.CustomerId);
        e.Property(m => m.RelationshipManagerId).HasMaxLength(40);
        e.Property(m => m.BranchCode).HasMaxLength(20);
    }
}
