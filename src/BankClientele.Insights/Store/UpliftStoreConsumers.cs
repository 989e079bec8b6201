using BankClientele.Contracts.CustomerCare;
using BankClientele.Contracts.FootTraffic;
using BankClientele.Contracts.Insights;
using BankClientele.Hosting.Messaging;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Insights.Store;

/// <summary>
/// The customer attributes of the uplift store. Feeds and the segmentation change thousands at once:
/// each consumer takes a batch and upserts it in one statement, the newest event of a customer
/// winning. An upsert applies only when the event is at least as new as what is stored (an older
/// event arriving late changes nothing), and marks the branches for the rebuild job only where
/// something changed. Customers, then branches, are written in key order, so concurrent batches
/// never deadlock.
/// </summary>
public sealed class TierChangedConsumer(InsightsDbContext db) : InboxBatchConsumer<CustomerTierChanged, InsightsDbContext>(db)
{
    protected override async Task HandleBatchAsync(IReadOnlyList<CustomerTierChanged> messages, ConsumeContext<Batch<CustomerTierChanged>> context)
    {
        var ids = messages.Select(m => m.CustomerId).ToArray();
        var branches = messages.Select(m => m.BranchCode).ToArray();
        var tiers = messages.Select(m => m.Tier).ToArray();
        var at = messages.Select(m => m.ChangedAt.ToUniversalTime()).ToArray();
        var changed = await Db.Database.SqlQuery<string>($"""
            WITH changed AS (
                INSERT INTO customer_attributes (customer_id, branch_code, tier, tier_changed_at)
                SELECT id, branch, tier, at FROM (
                    SELECT DISTINCT ON (id) id, branch, tier, at
                    FROM unnest({ids}::uuid[], {branches}::text[], {tiers}::text[], {at}::timestamptz[]) WITH ORDINALITY AS m(id, branch, tier, at, n)
                    ORDER BY id, at DESC, n DESC) latest
                ORDER BY id
                ON CONFLICT (customer_id) DO UPDATE SET branch_code = excluded.branch_code, tier = excluded.tier, tier_changed_at = excluded.tier_changed_at
                WHERE (customer_attributes.tier_changed_at IS NULL OR customer_attributes.tier_changed_at <= excluded.tier_changed_at)
                  AND customer_attributes.tier IS DISTINCT FROM excluded.tier
                RETURNING branch_code)
            SELECT DISTINCT branch_code AS "Value" FROM changed
            """).ToArrayAsync(context.CancellationToken);
        await UpliftStore.MarkStaleAsync(Db, changed, context.CancellationToken);
    }
}

public sealed class ManagerAssignedConsumer(InsightsDbContext db, ILogger<ManagerAssignedConsumer> logger)
    : InboxBatchConsumer<RelationshipManagerAssigned, InsightsDbContext>(db)
{
    protected override Task HandleBatchAsync(IReadOnlyList<RelationshipManagerAssigned> messages, ConsumeContext<Batch<RelationshipManagerAssigned>> context) =>
        ManagerAttributes.ApplyAsync(Db, logger, nameof(RelationshipManagerAssigned), [.. messages.Select(m => m.CustomerId)],
            [.. messages.Select(m => m.BranchCode)], [.. messages.Select(m => (string?)m.RelationshipManagerId)],
            [.. messages.Select(m => m.AssignedAt.ToUniversalTime())], [.. messages.Select(m => m.Version)], context.CancellationToken);
}

/// <summary>Back to the branch pool: the customer's deposits no longer count under their last manager.</summary>
public sealed class ManagerUnassignedConsumer(InsightsDbContext db, ILogger<ManagerUnassignedConsumer> logger)
    : InboxBatchConsumer<RelationshipManagerUnassigned, InsightsDbContext>(db)
{
    protected override Task HandleBatchAsync(IReadOnlyList<RelationshipManagerUnassigned> messages, ConsumeContext<Batch<RelationshipManagerUnassigned>> context) =>
        ManagerAttributes.ApplyAsync(Db, logger, nameof(RelationshipManagerUnassigned), [.. messages.Select(m => m.CustomerId)],
            [.. messages.Select(m => m.BranchCode)], [.. messages.Select(_ => (string?)null)],
            [.. messages.Select(m => m.UnassignedAt.ToUniversalTime())], [.. messages.Select(m => m.Version)], context.CancellationToken);
}

internal static class ManagerAttributes
{
    /// <summary>
    /// Sets each customer's manager (null: none) where the event is newer than what is stored, by
    /// CustomerCare's assignment version (<see cref="StaleMessages.IsNewer"/>, here in SQL: versions
    /// decide; only two unversioned bodies fall back to time, and then only a change of manager is
    /// written). Within a batch the highest version of a customer wins. The customers left unchanged
    /// were stale: counted and logged as such.
    /// </summary>
    public static async Task ApplyAsync(InsightsDbContext db, ILogger logger, string messageType, Guid[] ids, string[] branches,
        string?[] managers, DateTimeOffset[] at, long[] versions, CancellationToken ct)
    {
        var changed = await db.Database.SqlQuery<string>($"""
            WITH changed AS (
                INSERT INTO customer_attributes (customer_id, branch_code, relationship_manager_id, assigned_at, assignment_version)
                SELECT id, branch, manager, at, version FROM (
                    SELECT DISTINCT ON (id) id, branch, manager, at, version
                    FROM unnest({ids}::uuid[], {branches}::text[], {managers}::text[], {at}::timestamptz[], {versions}::bigint[])
                         WITH ORDINALITY AS m(id, branch, manager, at, version, n)
                    ORDER BY id, version DESC, at DESC, n DESC) latest
                ORDER BY id
                ON CONFLICT (customer_id) DO UPDATE SET branch_code = excluded.branch_code,
                    relationship_manager_id = excluded.relationship_manager_id, assigned_at = excluded.assigned_at,
                    assignment_version = excluded.assignment_version
                WHERE CASE WHEN excluded.assignment_version > 0 OR customer_attributes.assignment_version > 0
                           THEN customer_attributes.assignment_version < excluded.assignment_version
                           ELSE (customer_attributes.assigned_at IS NULL OR customer_attributes.assigned_at <= excluded.assigned_at)
                                AND customer_attributes.relationship_manager_id IS DISTINCT FROM excluded.relationship_manager_id END
                RETURNING branch_code)
            SELECT branch_code AS "Value" FROM changed
            """).ToListAsync(ct);
        var stale = ids.Distinct().Count() - changed.Count;
        if (stale > 0)
        {
            StaleMessages.IgnoredInBatch(logger, messageType, stale);
        }
        await UpliftStore.MarkStaleAsync(db, [.. changed.Distinct()], ct);
    }
}

public sealed class SegmentChangedConsumer(InsightsDbContext db) : InboxBatchConsumer<CustomerSegmentChanged, InsightsDbContext>(db)
{
    protected override async Task HandleBatchAsync(IReadOnlyList<CustomerSegmentChanged> messages, ConsumeContext<Batch<CustomerSegmentChanged>> context)
    {
        var ids = messages.Select(m => m.CustomerId).ToArray();
        var branches = messages.Select(m => m.BranchCode).ToArray();
        var segments = messages.Select(m => m.ValueSegment).ToArray();
        var stages = messages.Select(m => m.LifecycleStage).ToArray();
        var at = messages.Select(m => m.ComputedAt.ToUniversalTime()).ToArray();
        var changed = await Db.Database.SqlQuery<string>($"""
            WITH changed AS (
                INSERT INTO customer_attributes (customer_id, branch_code, segment, lifecycle_stage, segment_changed_at)
                SELECT id, branch, segment, stage, at FROM (
                    SELECT DISTINCT ON (id) id, branch, segment, stage, at
                    FROM unnest({ids}::uuid[], {branches}::text[], {segments}::text[], {stages}::text[], {at}::timestamptz[])
                         WITH ORDINALITY AS m(id, branch, segment, stage, at, n)
                    ORDER BY id, at DESC, n DESC) latest
                ORDER BY id
                ON CONFLICT (customer_id) DO UPDATE SET branch_code = excluded.branch_code,
                    segment = excluded.segment, lifecycle_stage = excluded.lifecycle_stage, segment_changed_at = excluded.segment_changed_at
                WHERE (customer_attributes.segment_changed_at IS NULL OR customer_attributes.segment_changed_at <= excluded.segment_changed_at)
                  AND (customer_attributes.segment, customer_attributes.lifecycle_stage) IS DISTINCT FROM (excluded.segment, excluded.lifecycle_stage)
                RETURNING branch_code)
            SELECT DISTINCT branch_code AS "Value" FROM changed
            """).ToArrayAsync(context.CancellationToken);
        await UpliftStore.MarkStaleAsync(Db, changed, context.CancellationToken);
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
