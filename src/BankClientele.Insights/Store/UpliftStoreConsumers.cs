using BankClientele.Contracts.CustomerCare;
using BankClientele.Contracts.FootTraffic;
using BankClientele.Contracts.Insights;
using BankClientele.Hosting.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Insights.Store;

/// <summary>
/// The customer attributes of the uplift store. Each upsert applies only when the event is at
/// least as new as what is stored (an older event arriving late changes nothing), and marks the
/// branch for the rebuild job only when something changed.
/// </summary>
public sealed class TierChangedConsumer(InsightsDbContext db) : InboxConsumer<CustomerTierChanged, InsightsDbContext>(db)
{
    protected override async Task HandleAsync(CustomerTierChanged message, ConsumeContext<CustomerTierChanged> context)
    {
        var changed = await Db.Database.ExecuteSqlAsync($"""
            INSERT INTO customer_attributes (customer_id, branch_code, tier, tier_changed_at)
            VALUES ({message.CustomerId}, {message.BranchCode}, {message.Tier}, {message.ChangedAt.ToUniversalTime()})
            ON CONFLICT (customer_id) DO UPDATE SET branch_code = excluded.branch_code, tier = excluded.tier, tier_changed_at = excluded.tier_changed_at
            WHERE (customer_attributes.tier_changed_at IS NULL OR customer_attributes.tier_changed_at <= excluded.tier_changed_at)
              AND customer_attributes.tier IS DISTINCT FROM excluded.tier
            """, context.CancellationToken);
        if (changed > 0)
        {
            await UpliftStore.MarkStaleAsync(Db, message.BranchCode, context.CancellationToken);
        }
    }
}

public sealed class ManagerAssignedConsumer(InsightsDbContext db) : InboxConsumer<RelationshipManagerAssigned, InsightsDbContext>(db)
{
    protected override async Task HandleAsync(RelationshipManagerAssigned message, ConsumeContext<RelationshipManagerAssigned> context)
    {
        var changed = await Db.Database.ExecuteSqlAsync($"""
            INSERT INTO customer_attributes (customer_id, branch_code, relationship_manager_id, assigned_at)
            VALUES ({message.CustomerId}, {message.BranchCode}, {message.RelationshipManagerId}, {message.AssignedAt.ToUniversalTime()})
            ON CONFLICT (customer_id) DO UPDATE SET branch_code = excluded.branch_code,
                relationship_manager_id = excluded.relationship_manager_id, assigned_at = excluded.assigned_at
            WHERE (customer_attributes.assigned_at IS NULL OR customer_attributes.assigned_at <= excluded.assigned_at)
              AND customer_attributes.relationship_manager_id IS DISTINCT FROM excluded.relationship_manager_id
            """, context.CancellationToken);
        if (changed > 0)
        {
            await UpliftStore.MarkStaleAsync(Db, message.BranchCode, context.CancellationToken);
        }
    }
}

public sealed class SegmentChangedConsumer(InsightsDbContext db) : InboxConsumer<CustomerSegmentChanged, InsightsDbContext>(db)
{
    protected override async Task HandleAsync(CustomerSegmentChanged message, ConsumeContext<CustomerSegmentChanged> context)
    {
        var changed = await Db.Database.ExecuteSqlAsync($"""
            INSERT INTO customer_attributes (customer_id, branch_code, segment, lifecycle_stage, segment_changed_at)
            VALUES ({message.CustomerId}, {message.BranchCode}, {message.ValueSegment}, {message.LifecycleStage}, {message.ComputedAt.ToUniversalTime()})
            ON CONFLICT (customer_id) DO UPDATE SET branch_code = excluded.branch_code,
                segment = excluded.segment, lifecycle_stage = excluded.lifecycle_stage, segment_changed_at = excluded.segment_changed_at
            WHERE (customer_attributes.segment_changed_at IS NULL OR customer_attributes.segment_changed_at <= excluded.segment_changed_at)
              AND (customer_attributes.segment, customer_attributes.lifecycle_stage) IS DISTINCT FROM (excluded.segment, excluded.lifecycle_stage)
            """, context.CancellationToken);
        if (changed > 0)
        {
            await UpliftStore.MarkStaleAsync(Db, message.BranchCode, context.CancellationToken);
        }
    }
}

/// <summary>Lobby-event check-ins: which branch held an event, and when (the staggered starts of the lobby-event estimate).</summary>
public sealed class LobbyAttendedConsumer(InsightsDbContext db) : InboxConsumer<LobbyEventAttended, InsightsDbContext>(db)
{
    protected override Task HandleAsync(LobbyEventAttended message, ConsumeContext<LobbyEventAttended> context) =>
        Db.Database.ExecuteSqlAsync($"""
            INSERT INTO lobby_attendance (attendance_id, lobby_event_id, branch_code, customer_id, checked_in_at)
            VALUES ({message.AttendanceId}, {message.LobbyEventId}, {message.BranchCode}, {message.CustomerId}, {message.CheckedInAt.ToUniversalTime()})
            ON CONFLICT (attendance_id) DO NOTHING
            """, context.CancellationToken);
}
