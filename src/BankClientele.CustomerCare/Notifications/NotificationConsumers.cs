using BankClientele.Contracts.Acquisition;
using BankClientele.Contracts.Imports;
using BankClientele.Hosting.Auth;
using BankClientele.Hosting.Messaging;
using MassTransit;

namespace BankClientele.CustomerCare.Notifications;

/// <summary>A manager's draft waits for the branch lead: into the lead's inbox (a lead who submitted it approves it themselves).</summary>
public sealed class CampaignSubmittedConsumer(CustomerCareDbContext db) : InboxConsumer<CampaignSubmitted, CustomerCareDbContext>(db)
{
    protected override Task HandleAsync(CampaignSubmitted m, ConsumeContext<CampaignSubmitted> context) =>
        m.SubmittedByRole == StaffRoles.BranchLead
            ? Task.CompletedTask
            : NotificationWrites.ApprovalWaitingAsync(Db, m.CampaignCode, m.Kind, m.BranchCode, m.SubmittedAt, context.CancellationToken);
}

/// <summary>Acquisition's prospect lists and FootTraffic's visit lists, once applied: into the importer's inbox.</summary>
public sealed class ImportFinishedConsumer(CustomerCareDbContext db) : InboxConsumer<ImportFinished, CustomerCareDbContext>(db)
{
    protected override Task HandleAsync(ImportFinished m, ConsumeContext<ImportFinished> context) =>
        NotificationWrites.ImportFinishedAsync(Db, m.ImportId, m.Kind, m.StaffId, m.BranchCode, m.Rows, m.FinishedAt, context.CancellationToken);
}
