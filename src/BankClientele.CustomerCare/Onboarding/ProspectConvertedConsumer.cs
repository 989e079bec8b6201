using BankClientele.Contracts.Acquisition;
using BankClientele.Contracts.CustomerCare;
using BankClientele.CustomerCare.Assignment;
using BankClientele.CustomerCare.Book;
using BankClientele.Hosting.Customers;
using BankClientele.Hosting.Messaging;
using BankClientele.Hosting.Privacy;
using BankClientele.Hosting.Time;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.CustomerCare.Onboarding;

/// <summary>
/// A converted prospect enters the book, or is linked to the customer the core-banking feed
/// already brought (the same customer number, hence the same id), and gets a relationship manager
/// of their branch. A customer new to the book is published as CustomerRegistered, once. The event
/// carries no name, phone or account number: a customer new to the book has them blank until the
/// core-banking feed (their owner) brings them, which it does for every customer.
/// </summary>
public sealed class ProspectConvertedV2Consumer(CustomerCareDbContext db, RelationshipManagerPicker picker)
    : InboxConsumer<ProspectConvertedV2, CustomerCareDbContext>(db)
{
    protected override Task HandleAsync(ProspectConvertedV2 message, ConsumeContext<ProspectConvertedV2> context) =>
        ProspectConversionIntoBook.ApplyAsync(Db, picker, message, context.CancellationToken);
}

#pragma warning disable CS0618 // reads the old contract, queued before the upgrade
/// <summary>A ProspectConverted queued before the upgrade, taken as its V2 (nothing personal kept).</summary>
public sealed class ProspectConvertedConsumer(CustomerCareDbContext db, RelationshipManagerPicker picker, PersonalDataHash hashes)
    : InboxConsumer<ProspectConverted, CustomerCareDbContext>(db)
{
    protected override Task HandleAsync(ProspectConverted message, ConsumeContext<ProspectConverted> context) =>
        ProspectConversionIntoBook.ApplyAsync(Db, picker, message.ToV2(hashes), context.CancellationToken);
}
#pragma warning restore CS0618

internal static class ProspectConversionIntoBook
{
    public static async Task ApplyAsync(CustomerCareDbContext db, RelationshipManagerPicker picker, ProspectConvertedV2 message, CancellationToken ct)
    {
        var number = string.IsNullOrWhiteSpace(message.CustomerNumber) ? null : message.CustomerNumber.Trim();
        var id = number is null ? message.CustomerId : CustomerIds.FromCustomerNumber(number);
        // If the feed inserts the same customer meanwhile, this insert fails on the unique number and
        // the retry finds the feed's record: the two paths converge on one customer.
        var customer = await db.Customers.SingleOrDefaultAsync(c => c.Id == id || (number != null && c.CustomerNumber == number), ct);
        if (customer is null)
        {
            customer = new Customer
            {
                Id = id,
                CustomerNumber = number,
                FullName = "",
                Phone = "",
                PhoneHash = message.PhoneHash,
                IdNumberHash = message.IdNumberHash,
                BranchCode = message.BranchCode,
                AccountNumber = "",
                InitialDeposit = message.InitialDeposit,
                SourceProspectId = message.ProspectId,
                JoinedAt = message.ConvertedAt,
            };
            db.Customers.Add(customer);
            if (number is not null)
            {
                db.Publish(new CustomerRegistered(customer.Id, number, customer.BranchCode, customer.PhoneHash, customer.IdNumberHash, customer.Tier, message.ConvertedAt));
            }
        }
        else
        {
            // Known from the feed: link the prospect, keep the feed's data.
            if (customer.SourceProspectId is null)
            {
                customer.SourceProspectId = message.ProspectId;
                await PublishDepositsSinceAsync(db, customer.Id, message.ConvertedAt, ct);
            }
            if (customer.InitialDeposit == 0)
            {
                customer.InitialDeposit = message.InitialDeposit;
            }
        }

        if (customer.RelationshipManagerId is null
            && await picker.PickAsync(customer.BranchCode, ct) is { } manager)
        {
            customer.RelationshipManagerId = manager.StaffId;
            customer.AssignmentVersion++;
            db.Publish(new RelationshipManagerAssigned(customer.Id, manager.StaffId, customer.BranchCode, DateTimeOffset.UtcNow, Reason: "new-customer", Version: customer.AssignmentVersion));
        }
    }

    /// <summary>
    /// A customer the feed brought in before the conversion reached us: the balances already held from the
    /// conversion's day on go to Acquisition (later files send theirs as they merge).
    /// </summary>
    private static async Task PublishDepositsSinceAsync(CustomerCareDbContext db, Guid customerId, DateTimeOffset convertedAt, CancellationToken ct)
    {
        // A balances import updates the customer's row before it reads who is converted, and holds it until it commits:
        // waiting for the row here means its balances are either read below (committed first) or sent by the import
        // (which then finds the customer linked), never neither.
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM customers WHERE id = {customerId} FOR UPDATE", ct);
        var from = BranchClock.DayOf(convertedAt);
        var balances = await db.DailyBalances.AsNoTracking()
            .Where(b => b.CustomerId == customerId && b.Date >= from)
            .OrderBy(b => b.Date)
            .Select(b => new { b.Date, b.Deposit })
            .ToListAsync(ct);
        foreach (var chunk in balances.Chunk(CustomerBalances.PerMessage))
        {
            db.Publish(new ConvertedCustomerDeposits([.. chunk.Select(_ => customerId)], [.. chunk.Select(b => b.Date)], [.. chunk.Select(b => b.Deposit)]));
        }
    }
}
