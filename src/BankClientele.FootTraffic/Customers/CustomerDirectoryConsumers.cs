using BankClientele.Contracts.CustomerCare;
using BankClientele.Contracts.Insights;
using BankClientele.Hosting.Messaging;
using MassTransit;

namespace BankClientele.FootTraffic.Customers;

/// <summary>A customer entered CustomerCare's book: remember how to recognise them.</summary>
public sealed class CustomerRegisteredConsumer(FootTrafficDbContext db) : InboxConsumer<CustomerRegistered, FootTrafficDbContext>(db)
{
    protected override async Task HandleAsync(CustomerRegistered message, ConsumeContext<CustomerRegistered> context)
    {
        var customer = await Db.KnownCustomers.FindAsync([message.CustomerId], context.CancellationToken);
        if (customer is null)
        {
            Db.KnownCustomers.Add(new KnownCustomer
            {
                CustomerId = message.CustomerId,
                CustomerNumber = message.CustomerNumber,
                BranchCode = message.BranchCode,
                PhoneHash = message.PhoneHash,
                Tier = message.Tier,
                UpdatedAt = message.RegisteredAt,
            });
            return;
        }
        // A tier change may have arrived first: keep its tier, fill in the rest.
        customer.CustomerNumber = message.CustomerNumber;
        customer.BranchCode = message.BranchCode;
        customer.PhoneHash = message.PhoneHash ?? customer.PhoneHash;
    }
}

public sealed class CustomerTierChangedConsumer(FootTrafficDbContext db) : InboxConsumer<CustomerTierChanged, FootTrafficDbContext>(db)
{
    protected override async Task HandleAsync(CustomerTierChanged message, ConsumeContext<CustomerTierChanged> context)
    {
        var customer = await Db.KnownCustomers.FindAsync([message.CustomerId], context.CancellationToken);
        if (customer is null)
        {
            Db.KnownCustomers.Add(new KnownCustomer
            {
                CustomerId = message.CustomerId,
                CustomerNumber = message.CustomerNumber,
                BranchCode = message.BranchCode,
                Tier = message.Tier,
                UpdatedAt = message.ChangedAt,
            });
            return;
        }
        if (message.ChangedAt >= customer.UpdatedAt)
        {
            customer.Tier = message.Tier;
            customer.BranchCode = message.BranchCode;
            customer.UpdatedAt = message.ChangedAt;
        }
    }
}

/// <summary>
/// Insights' value segment and lifecycle stage, for targeting lobby events. Kept even for a customer whose
/// registration has not arrived yet; an older computation arriving late does not overwrite a newer one.
/// </summary>
public sealed class CustomerSegmentChangedConsumer(FootTrafficDbContext db) : InboxConsumer<CustomerSegmentChanged, FootTrafficDbContext>(db)
{
    protected override async Task HandleAsync(CustomerSegmentChanged message, ConsumeContext<CustomerSegmentChanged> context)
    {
        var segment = await Db.CustomerSegments.FindAsync([message.CustomerId], context.CancellationToken);
        if (segment is null)
        {
            Db.CustomerSegments.Add(new CustomerSegment
            {
                CustomerId = message.CustomerId, BranchCode = message.BranchCode, Rfm = message.Rfm,
                ValueSegment = message.ValueSegment, LifecycleStage = message.LifecycleStage, ComputedAt = message.ComputedAt,
            });
            return;
        }
        if (message.ComputedAt >= segment.ComputedAt)
        {
            segment.BranchCode = message.BranchCode;
            segment.Rfm = message.Rfm;
            segment.ValueSegment = message.ValueSegment;
            segment.LifecycleStage = message.LifecycleStage;
            segment.ComputedAt = message.ComputedAt;
        }
    }
}
