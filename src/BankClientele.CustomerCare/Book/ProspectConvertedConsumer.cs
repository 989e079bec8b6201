using BankClientele.Contracts.Acquisition;
using BankClientele.Contracts.CustomerCare;
using BankClientele.CustomerCare.Assignment;
using BankClientele.Hosting.Messaging;
using MassTransit;

namespace BankClientele.CustomerCare.Book;

/// <summary>A converted prospect enters the book and gets a relationship manager of their branch.</summary>
public sealed class ProspectConvertedConsumer(CustomerCareDbContext db, RelationshipManagerPicker picker)
    : InboxConsumer<ProspectConverted, CustomerCareDbContext>(db)
{
    protected override async Task HandleAsync(ProspectConverted message, ConsumeContext<ProspectConverted> context)
    {
        var customer = new Customer
        {
            Id = message.CustomerId,
            FullName = message.FullName,
            Phone = message.Phone,
            BranchCode = message.BranchCode,
            AccountNumber = message.AccountNumber,
            InitialDeposit = message.InitialDeposit,
            SourceProspectId = message.ProspectId,
            JoinedAt = message.ConvertedAt,
        };
        Db.Customers.Add(customer);

        var manager = await picker.PickAsync(message.BranchCode, context.CancellationToken);
        if (manager is not null)
        {
            customer.RelationshipManagerId = manager.StaffId;
            Db.Publish(new RelationshipManagerAssigned(customer.Id, manager.StaffId, customer.BranchCode, DateTimeOffset.UtcNow));
        }
    }
}
