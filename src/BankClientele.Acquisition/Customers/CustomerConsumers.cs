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

/// <summary>Insights' CLV of existing customers: the profitability sub-score of similar prospects.</summary>
public sealed class CustomerSegmentChangedConsumer(AcquisitionDbContext db) : InboxConsumer<CustomerSegmentChanged, AcquisitionDbContext>(db)
{
    protected override async Task HandleAsync(CustomerSegmentChanged message, ConsumeContext<CustomerSegmentChanged> context) =>
        await Db.ExistingCustomers.Where(c => c.CustomerId == message.CustomerId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.ExpectedLifetimeValue, message.ExpectedLifetimeValue), context.CancellationToken);
}
