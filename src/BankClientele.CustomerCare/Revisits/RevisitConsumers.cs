using BankClientele.Contracts.CustomerCare;
using BankClientele.Contracts.FootTraffic;
using BankClientele.Hosting.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BankClientele.CustomerCare.Revisits;

/// <summary>
/// A new manager for a customer: a welcome visit, and the customer's open revisits follow them to
/// the new manager.
/// </summary>
public sealed class WelcomeVisitConsumer(CustomerCareDbContext db, IOptions<RevisitOptions> options)
    : InboxConsumer<RelationshipManagerAssigned, CustomerCareDbContext>(db)
{
    protected override async Task HandleAsync(RelationshipManagerAssigned message, ConsumeContext<RelationshipManagerAssigned> context)
    {
        var ct = context.CancellationToken;
        await Db.Revisits.Where(r => r.CustomerId == message.CustomerId && r.Status == RevisitStatuses.Open)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.RelationshipManagerId, message.RelationshipManagerId), ct);
        var due = DateOnly.FromDateTime(message.AssignedAt.UtcDateTime).AddDays(options.Value.WelcomeWithinDays);
        var detail = message.PreviousRelationshipManagerId is null ? "new manager" : $"taking over from {message.PreviousRelationshipManagerId}";
        await RevisitInserts.OpenAsync(Db, message.CustomerId, message.BranchCode, message.RelationshipManagerId,
            RevisitReasons.Welcome, detail, due, ct);
    }
}

/// <summary>An existing customer invited to a lobby event (厅堂活动): their manager follows the invitation up.</summary>
public sealed class LobbyEventInvitationConsumer(CustomerCareDbContext db)
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
        // Call before the event: the day before it starts, or today if that has passed.
        var startsOn = DateOnly.FromDateTime(message.StartsAt.UtcDateTime);
        var today = DateOnly.FromDateTime(message.IssuedAt.UtcDateTime);
        var due = startsOn.AddDays(-1) < today ? today : startsOn.AddDays(-1);
        await RevisitInserts.OpenAsync(Db, customerId, customer.BranchCode, customer.RelationshipManagerId,
            RevisitReasons.LobbyEvent, $"{message.Theme} {message.StartsAt:yyyy-MM-dd HH:mm}", due, ct);
    }
}

/// <summary>A high-value customer checked in at a branch: an alert on their manager's My Day at once.</summary>
public sealed class LobbyAlertConsumer(CustomerCareDbContext db)
    : InboxConsumer<HighValueCustomerCheckedIn, CustomerCareDbContext>(db)
{
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
