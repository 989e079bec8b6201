using BankClientele.CustomerCare.Notifications;
using BankClientele.Contracts.CustomerCare;
using BankClientele.Contracts.FootTraffic;
using BankClientele.Hosting.Customers;
using BankClientele.Hosting.Messaging;
using BankClientele.Hosting.Time;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BankClientele.CustomerCare.Revisits;

/// <summary>
/// A new manager for a customer: a welcome visit, and the customer's open revisits follow them to
/// the new manager. Taken in batches (an assignment run sends thousands at once). The manager is the
/// customer's CURRENT one as this service's customers table says (it owns the assignment), not the
/// message's: whatever order assignments arrive in, the open revisits end with the same manager (a late,
/// older message moves nothing back). Only a customer not in the book yet falls back to the batch's
/// newest message (highest version, then latest time). The welcome visit's date comes from the
/// customer's first assignment of the batch.
/// </summary>
public sealed class WelcomeVisitConsumer(CustomerCareDbContext db, IOptions<RevisitOptions> options)
    : InboxBatchConsumer<RelationshipManagerAssigned, CustomerCareDbContext>(db)
{
    protected override async Task HandleBatchAsync(IReadOnlyList<RelationshipManagerAssigned> messages, ConsumeContext<Batch<RelationshipManagerAssigned>> context)
    {
        var ct = context.CancellationToken;
        var customers = messages.Select(m => m.CustomerId).ToArray();
        var branches = messages.Select(m => m.BranchCode).ToArray();
        var managers = messages.Select(m => m.RelationshipManagerId).ToArray();
        var at = messages.Select(m => m.AssignedAt.ToUniversalTime()).ToArray();
        var versions = messages.Select(m => m.Version).ToArray();
        var ids = messages.Select(_ => Guid.CreateVersion7()).ToArray();
        var due = messages.Select(m => BranchClock.DayOf(m.AssignedAt).AddDays(options.Value.WelcomeWithinDays)).ToArray();
        var details = messages.Select(m => m.PreviousRelationshipManagerId is null ? "new manager" : $"taking over from {m.PreviousRelationshipManagerId}").ToArray();
        var now = DateTimeOffset.UtcNow;
        await Db.Database.ExecuteSqlAsync($"""
            INSERT INTO revisits (id, customer_id, branch_code, relationship_manager_id, reason, detail, due_on, status, created_at, escalation_level)
            SELECT first.id, customer, branch, CASE WHEN c.id IS NULL THEN manager ELSE c.relationship_manager_id END,
                   {RevisitReasons.Welcome}, detail, due, {RevisitStatuses.Open}, {now}, 0 FROM (
                SELECT DISTINCT ON (customer) *
                FROM unnest({ids}::uuid[], {customers}::uuid[], {branches}::text[], {managers}::text[], {details}::text[], {due}::date[], {at}::timestamptz[])
                     WITH ORDINALITY AS m(id, customer, branch, manager, detail, due, at, n)
                ORDER BY customer, at, n) AS first
            LEFT JOIN customers c ON c.id = first.customer
            ORDER BY customer
            ON CONFLICT DO NOTHING
            """, ct);
        // Rows locked in one order, so that two batches of the same customers never deadlock.
        await Db.Database.ExecuteSqlAsync($"""
            WITH latest AS (
                SELECT DISTINCT ON (customer) customer, manager
                FROM unnest({customers}::uuid[], {managers}::text[], {at}::timestamptz[], {versions}::bigint[]) WITH ORDINALITY AS m(customer, manager, at, version, n)
                ORDER BY customer, version DESC, at DESC, n DESC),
            owner AS (
                SELECT l.customer, CASE WHEN c.id IS NULL THEN l.manager ELSE c.relationship_manager_id END AS manager
                FROM latest l LEFT JOIN customers c ON c.id = l.customer),
            locked AS (
                SELECT r.id, o.manager FROM revisits r JOIN owner o ON o.customer = r.customer_id
                WHERE r.status = {RevisitStatuses.Open} AND r.relationship_manager_id IS DISTINCT FROM o.manager
                ORDER BY r.id FOR UPDATE OF r)
            UPDATE revisits r SET relationship_manager_id = locked.manager FROM locked WHERE r.id = locked.id
            """, ct);
    }
}

/// <summary>An existing customer invited to a lobby event (厅堂活动): their manager follows the invitation up.</summary>
public sealed class LobbyEventInvitationConsumer(CustomerCareDbContext db, ILogger<LobbyEventInvitationConsumer> logger)
    : InboxConsumer<LobbyEventInvitationIssued, CustomerCareDbContext>(db)
{
    protected override async Task HandleAsync(LobbyEventInvitationIssued message, ConsumeContext<LobbyEventInvitationIssued> context)
    {
        if (message.CustomerId is not { } customerId)
        {
            return; // a prospect's invitation is Acquisition's lead
        }
        var ct = context.CancellationToken;
        var customer = await Db.Customers.AsNoTracking().Where(c => c.Id == customerId)
            .Select(c => new { c.BranchCode, c.RelationshipManagerId }).SingleOrDefaultAsync(ct);
        if (customer is null)
        {
            return; // not in the book (yet): nobody to follow it up
        }
        // FootTraffic leaves a campaign's holdout off the guest list; checked again here against this service's own
        // copy of the audience, so no path gives a held-out customer's manager a call to make for the campaign.
        if (message.CampaignCode is { Length: > 0 } campaignCode
            && (await CampaignMemberships.CheckAsync(Db, campaignCode, [customerId], ct)).HeldOut.Contains(customerId))
        {
            logger.LogWarning("Invitation {InvitationId} of campaign {CampaignCode} names a held-out customer {CustomerId}: no call opened",
                message.InvitationId, campaignCode, customerId);
            return;
        }
        if (message.StartsAt <= message.IssuedAt)
        {
            return; // an event already under way or over (a back-filled guest list): there is no invitation to call about
        }
        // Call before the event: the day before it starts, or today if that has passed.
        var startsOn = BranchClock.DayOf(message.StartsAt);
        var today = BranchClock.DayOf(message.IssuedAt);
        var due = startsOn.AddDays(-1) < today ? today : startsOn.AddDays(-1);
        await RevisitInserts.OpenAsync(Db, customerId, customer.BranchCode, customer.RelationshipManagerId,
            RevisitReasons.LobbyEvent, $"{message.Theme} {BranchClock.ToBranchTime(message.StartsAt):yyyy-MM-dd HH:mm}{(message.CampaignCode is { Length: > 0 } c ? $" ({c})" : "")}", due, ct);
    }
}

/// <summary>A high-value customer checked in at a branch: an alert on their manager's My Day and in their inbox (the bell) at once.</summary>
public sealed class LobbyAlertConsumer(CustomerCareDbContext db, TimeProvider clock)
    : InboxConsumer<HighValueCustomerCheckedIn, CustomerCareDbContext>(db)
{
    /// <summary>An arrival older than this (a replayed or back-filled visit) is no news: no notification (My Day's alerts look back as far).</summary>
    public static readonly TimeSpan NotifyWithin = TimeSpan.FromHours(12);

    protected override async Task HandleAsync(HighValueCustomerCheckedIn message, ConsumeContext<HighValueCustomerCheckedIn> context)
    {
        var ct = context.CancellationToken;
        var managerId = await Db.Customers.Where(c => c.Id == message.CustomerId).Select(c => c.RelationshipManagerId).SingleOrDefaultAsync(ct);
        // Keyed by FootTraffic's visit id: the same check-in published twice is one alert.
        await Db.Database.ExecuteSqlAsync($"""
            INSERT INTO lobby_alerts (visit_id, customer_id, branch_code, relationship_manager_id, tier, service_type, arrived_at)
            VALUES ({message.VisitId}, {message.CustomerId}, {message.BranchCode}, {managerId}, {message.Tier}, {message.ServiceType}, {message.ArrivedAt})
            ON CONFLICT DO NOTHING
            """, ct);
        if (managerId is not null && message.ArrivedAt >= clock.GetUtcNow() - NotifyWithin)
        {
            // The same transaction as the alert (the inbox consumer's): the bell and My Day agree.
            await NotificationWrites.VipArrivedAsync(Db, message.VisitId, message.CustomerId, managerId,
                message.BranchCode, message.Tier, message.ServiceType, message.ArrivedAt, ct);
        }
    }
}

internal static class RevisitInserts
{
    /// <summary>Opens a revisit unless one for the customer and reason is already open (the unique index decides).</summary>
    public static Task<int> OpenAsync(CustomerCareDbContext db, Guid customerId, string branchCode, string? managerId,
        string reason, string? detail, DateOnly due, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"""
            INSERT INTO revisits (id, customer_id, branch_code, relationship_manager_id, reason, detail, due_on, status, created_at, escalation_level)
            VALUES ({Guid.CreateVersion7()}, {customerId}, {branchCode}, {managerId}, {reason}, {detail}, {due}, 'Open', {DateTimeOffset.UtcNow}, 0)
            ON CONFLICT DO NOTHING
            """, ct);
}
