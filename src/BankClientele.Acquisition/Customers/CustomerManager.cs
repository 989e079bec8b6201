using BankClientele.Contracts.CustomerCare;
using BankClientele.Hosting.Messaging;
using MassTransit;
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
    public required string RelationshipManagerId { get; set; }
    public required string BranchCode { get; set; }
    public DateTimeOffset AssignedAt { get; set; }
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

/// <summary>Upserts the customer's manager; an older assignment arriving late never overwrites a newer one.</summary>
public sealed class RelationshipManagerAssignedConsumer(AcquisitionDbContext db) : InboxConsumer<RelationshipManagerAssigned, AcquisitionDbContext>(db)
{
    protected override async Task HandleAsync(RelationshipManagerAssigned message, ConsumeContext<RelationshipManagerAssigned> context)
    {
        var current = await Db.CustomerManagers.FindAsync([message.CustomerId], context.CancellationToken);
        if (current is null)
        {
            Db.CustomerManagers.Add(new CustomerManager
            {
                CustomerId = message.CustomerId, RelationshipManagerId = message.RelationshipManagerId,
                BranchCode = message.BranchCode, AssignedAt = message.AssignedAt,
            });
            return;
        }
        if (message.AssignedAt >= current.AssignedAt)
        {
            current.RelationshipManagerId = message.RelationshipManagerId;
            current.BranchCode = message.BranchCode;
            current.AssignedAt = message.AssignedAt;
        }
    }
}
