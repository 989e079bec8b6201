using BankClientele.Contracts.CustomerCare;
using BankClientele.Contracts.Insights;
using BankClientele.Hosting.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Acquisition.Customers;

/// <summary>Keeps the book's customers (hashes only) so they are never prospected and can be a campaign's audience.</summary>
public sealed class CustomerRegisteredConsumer(AcquisitionDbContext db) : InboxConsumer<CustomerRegistered, AcquisitionDbContext>(db)
{
    protected override async Task HandleAsync(CustomerRegistered message, ConsumeContext<CustomerRegistered> context)
    {
        var customer = await Db.ExistingCustomers.FindAsync([message.CustomerId], context.CancellationToken);
        if (customer is null)
        {
            Db.ExistingCustomers.Add(new ExistingCustomer
            {
                CustomerId = message.CustomerId, CustomerNumber = message.CustomerNumber, BranchCode = message.BranchCode,
                PhoneHash = message.PhoneHash, IdNumberHash = message.IdNumberHash, Tier = message.Tier,
            });
            return;
        }
        customer.BranchCode = message.BranchCode;
        customer.PhoneHash = message.PhoneHash ?? customer.PhoneHash;
        customer.IdNumberHash = message.IdNumberHash ?? customer.IdNumberHash;
        customer.Tier = message.Tier;
    }
}

/// <summary>
/// Insights' CLV of existing customers: the profitability sub-score of similar prospects. Upserted
/// by customer, an older computation never overwrites a newer one (redeliveries, reordering).
/// </summary>
public sealed class CustomerSegmentChangedConsumer(AcquisitionDbContext db) : InboxConsumer<CustomerSegmentChanged, AcquisitionDbContext>(db)
{
    protected override async Task HandleAsync(CustomerSegmentChanged message, ConsumeContext<CustomerSegmentChanged> context)
    {
        var value = await Db.CustomerValues.FindAsync([message.CustomerId], context.CancellationToken);
        if (value is null)
        {
            Db.CustomerValues.Add(new CustomerValue
            {
                CustomerId = message.CustomerId, BranchCode = message.BranchCode,
                ExpectedLifetimeValue = message.ExpectedLifetimeValue, ComputedAt = message.ComputedAt,
            });
            return;
        }
        if (message.ComputedAt >= value.ComputedAt)
        {
            value.BranchCode = message.BranchCode;
            value.ExpectedLifetimeValue = message.ExpectedLifetimeValue;
            value.ComputedAt = message.ComputedAt;
        }
    }
}
