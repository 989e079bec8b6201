using BankClientele.Contracts.Acquisition;
using BankClientele.Contracts.CustomerCare;
using BankClientele.CustomerCare.Assignment;
using BankClientele.Hosting.Customers;
using BankClientele.Hosting.Messaging;
using BankClientele.Hosting.Privacy;
using BankClientele.Hosting.Time;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.CustomerCare.Book;

/// <summary>
/// A converted prospect enters the book, or is linked to the customer the core-banking feed
/// already brought (the same customer number, hence the same id), and gets a relationship manager
/// of their branch. A customer new to the book is published as CustomerRegistered, once.
/// </summary>
public sealed class ProspectConvertedConsumer(CustomerCareDbContext db, RelationshipManagerPicker picker, PersonalDataHash hashes)
    : InboxConsumer<ProspectConverted, CustomerCareDbContext>(db)
{
    protected override async Task HandleAsync(ProspectConverted message, ConsumeContext<ProspectConverted> context)
    {
        var number = string.IsNullOrWhiteSpace(message.CustomerNumber) ? null : message.CustomerNumber.Trim();
        var id = number is null ? message.CustomerId : CustomerIds.FromCustomerNumber(number);
        // If the feed inserts the same customer meanwhile, this insert fails on the unique number and
        // the retry finds the feed's record: the two paths converge on one customer.
        var customer = await Db.Customers.SingleOrDefaultAsync(c => c.Id == id || (number != null && c.CustomerNumber == number), context.CancellationToken);
        if (customer is null)
        {
            customer = new Customer
            {
                Id = id,
                CustomerNumber = number,
                FullName = message.FullName,
                Phone = message.Phone,
                PhoneHash = hashes.Phone(message.Phone),
                BranchCode = message.BranchCode,
                AccountNumber = message.AccountNumber,
                InitialDeposit = message.InitialDeposit,
                SourceProspectId = message.ProspectId,
                JoinedAt = message.ConvertedAt,
            };
            Db.Customers.Add(customer);
            if (number is not null)
            {
                Db.Publish(new CustomerRegistered(customer.Id, number, customer.BranchCode, customer.PhoneHash, null, customer.Tier, message.ConvertedAt));
            }
        }
        else
        {
            // Known from the feed: link the prospect, keep the feed's data.
            if (customer.SourceProspectId is null)
            {
                customer.SourceProspectId = message.ProspectId;
                await PublishDepositsSinceAsync(customer.Id, message.ConvertedAt, context.CancellationToken);
            }
            if (customer.AccountNumber.Length == 0)
            {
                customer.AccountNumber = message.AccountNumber;
            }
            if (customer.InitialDeposit == 0)
            {
                customer.InitialDeposit = message.InitialDeposit;
            }
        }

        if (customer.RelationshipManagerId is null
            && await picker.PickAsync(customer.BranchCode, context.CancellationToken) is { } manager)
        {
            customer.RelationshipManagerId = manager.StaffId;
            Db.Publish(new RelationshipManagerAssigned(customer.Id, manager.StaffId, customer.BranchCode, DateTimeOffset.UtcNow, Reason: "new-customer"));
        }
    }

    /// <summary>
    /// A customer the feed brought in before the conversion reached us: the balances already held from the
    /// conversion's day on go to Acquisition (later files send theirs as they merge).
    /// </summary>
    private async Task PublishDepositsSinceAsync(Guid customerId, DateTimeOffset convertedAt, CancellationToken ct)
    {
        // A balances import updates the customer's row before it reads who is converted, and holds it until it commits:
        // waiting for the row here means its balances are either read below (committed first) or sent by the import
        // (which then finds the customer linked), never neither.
        await Db.Database.ExecuteSqlAsync($"SELECT 1 FROM customers WHERE id = {customerId} FOR UPDATE", ct);
        var from = BranchClock.DayOf(convertedAt);
        var balances = await Db.DailyBalances.AsNoTracking()
            .Where(b => b.CustomerId == customerId && b.Date >= from)
            .OrderBy(b => b.Date)
            .Select(b => new { b.Date, b.Deposit })
            .ToListAsync(ct);
        foreach (var chunk in balances.Chunk(CustomerBalances.PerMessage))
        {
            Db.Publish(new ConvertedCustomerDeposits([.. chunk.Select(_ => customerId)], [.. chunk.Select(b => b.Date)], [.. chunk.Select(b => b.Deposit)]));
        }
    }
}
