using BankClientele.Acquisition.Prospects;
using BankClientele.Contracts.CustomerCare;
using BankClientele.Hosting.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Acquisition.Funnel;

/// <summary>
/// Learns converted customers' deposits from the daily balances: the first positive deposit marks
/// activation; the deposit 30 and 90 days after the account opened are kept for the figures. Every
/// other customer of the chunk is ignored by one indexed lookup.
/// </summary>
public sealed class DailyBalancesConsumer(AcquisitionDbContext db) : InboxConsumer<DailyBalancesRecorded, AcquisitionDbContext>(db)
{
    protected override async Task HandleAsync(DailyBalancesRecorded message, ConsumeContext<DailyBalancesRecorded> context)
    {
        if (!message.IsWellFormed())
        {
            throw new InvalidOperationException($"DailyBalancesRecorded {message.BranchCode} {message.Date}: its columns are missing or of different lengths.");
        }
        var ids = message.CustomerIds;
        var prospects = await Db.Prospects
            .Where(p => p.CustomerId != null && ids.Contains(p.CustomerId.Value) && (p.ActivatedAt == null || p.DepositAfter90Days == null))
            .ToListAsync(context.CancellationToken);
        if (prospects.Count == 0)
        {
            return;
        }
        var balances = message.Balances().ToDictionary(b => b.CustomerId);
        var day = new DateTimeOffset(message.Date.ToDateTime(new TimeOnly(17, 0)), TimeSpan.FromHours(8)).ToUniversalTime();
        foreach (var prospect in prospects)
        {
            Apply(prospect, message.Date, day, balances[prospect.CustomerId!.Value].Deposit);
        }
    }

    public static void Apply(Prospect prospect, DateOnly date, DateTimeOffset endOfDay, decimal deposit)
    {
        if (prospect.ConvertedAt is not { } converted)
        {
            return;
        }
        var openedOn = DateOnly.FromDateTime(converted.ToOffset(TimeSpan.FromHours(8)).DateTime);
        if (date < openedOn)
        {
            return;
        }
        if (deposit > 0 && prospect.ActivatedAt is null)
        {
            FunnelRules.Advance(prospect, LeadStage.FirstDeposit, endOfDay);
            prospect.ActivatedAt = endOfDay;
        }
        var days = date.DayNumber - openedOn.DayNumber;
        if (days >= 30 && prospect.DepositAfter30Days is null)
        {
            prospect.DepositAfter30Days = deposit;
        }
        if (days >= 90 && prospect.DepositAfter90Days is null)
        {
            prospect.DepositAfter90Days = deposit;
        }
    }
}
