using BankClientele.Acquisition.Campaigns;
using BankClientele.Acquisition.Prospects;
using BankClientele.Contracts.CustomerCare;
using BankClientele.Hosting.Messaging;
using BankClientele.Hosting.Time;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Acquisition.Funnel;

/// <summary>
/// Learns converted customers' deposits from the balances CustomerCare sends of them: the first
/// positive deposit marks activation. "Deposits after N days" (N = 30, 90) is a balance, not an
/// inflow: the customer's deposit balance on day N after the opening day (the bank's day, UTC+8), or
/// on the first balance date after it when the feed has no row for day N itself. A balance is what
/// the feed honestly gives; an inflow would need the transactions, which Acquisition never sees.
/// Only converted customers' balances come here (not the network's), each customer's in date order.
/// </summary>
public sealed class ConvertedCustomerDepositsConsumer(AcquisitionDbContext db) : InboxConsumer<ConvertedCustomerDeposits, AcquisitionDbContext>(db)
{
    protected override async Task HandleAsync(ConvertedCustomerDeposits message, ConsumeContext<ConvertedCustomerDeposits> context)
    {
        if (!message.IsWellFormed())
        {
            throw new InvalidOperationException("ConvertedCustomerDeposits: its columns are missing or of different lengths.");
        }
        var ids = message.CustomerIds.Distinct().ToArray();
        // Its save moves many leads' counts, one statement each: one such writer at a time, or two deadlock (issue #26).
        await LeadStageCountLock.TakeAsync(Db, context.CancellationToken);
        var prospects = await Db.Prospects
            .Where(p => p.CustomerId != null && ids.Contains(p.CustomerId.Value) && (p.ActivatedAt == null || p.DepositAfter90Days == null))
            .ToListAsync(context.CancellationToken);
        var rows = Enumerable.Range(0, message.CustomerIds.Length).OrderBy(i => message.Dates[i]).ToLookup(i => message.CustomerIds[i]);
        foreach (var prospect in prospects)
        {
            foreach (var i in rows[prospect.CustomerId!.Value])
            {
                var date = message.Dates[i];
                var endOfDay = BranchClock.At(date, 17).ToUniversalTime();
                Apply(prospect, date, endOfDay, message.Deposits[i]);
            }
        }
    }

    public static void Apply(Prospect prospect, DateOnly date, DateTimeOffset endOfDay, decimal deposit)
    {
        if (prospect.ConvertedAt is not { } converted)
        {
            return;
        }
        var openedOn = BranchClock.DayOf(converted);
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
