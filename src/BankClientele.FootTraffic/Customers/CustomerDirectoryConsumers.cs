using BankClientele.Contracts.CustomerCare;
using BankClientele.Contracts.Insights;
using BankClientele.Hosting.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.FootTraffic.Customers;

/// <summary>
/// A customer entered CustomerCare's book: remember how to recognise them. A feed registers
/// thousands at once: a batch is one upsert, the latest message of a customer winning. A tier
/// change may have arrived first: its tier is kept, the rest filled in.
/// </summary>
public sealed class CustomerRegisteredConsumer(FootTrafficDbContext db) : InboxBatchConsumer<CustomerRegistered, FootTrafficDbContext>(db)
{
    protected override Task HandleBatchAsync(IReadOnlyList<CustomerRegistered> messages, ConsumeContext<Batch<CustomerRegistered>> context)
    {
        var ids = messages.Select(m => m.CustomerId).ToArray();
        var numbers = messages.Select(m => m.CustomerNumber).ToArray();
        var branches = messages.Select(m => m.BranchCode).ToArray();
        var phones = messages.Select(m => m.PhoneHash).ToArray();
        var tiers = messages.Select(m => m.Tier).ToArray();
        var at = messages.Select(m => m.RegisteredAt.ToUniversalTime()).ToArray();
        // Ordered by key, so two concurrent batches lock shared rows in the same order.
        return Db.Database.ExecuteSqlAsync($"""
            INSERT INTO known_customers (customer_id, customer_number, branch_code, phone_hash, tier, updated_at)
            SELECT id, number, branch, phone, tier, at FROM (
                SELECT DISTINCT ON (id) id, number, branch, phone, tier, at
                FROM unnest({ids}::uuid[], {numbers}::text[], {branches}::text[], {phones}::text[], {tiers}::text[], {at}::timestamptz[])
                     WITH ORDINALITY AS m(id, number, branch, phone, tier, at, n)
                ORDER BY id, n DESC) latest
            ORDER BY id
            ON CONFLICT (customer_id) DO UPDATE SET
                customer_number = excluded.customer_number,
                branch_code = excluded.branch_code,
                phone_hash = coalesce(excluded.phone_hash, known_customers.phone_hash)
            """, context.CancellationToken);
    }
}

/// <summary>
/// A customer's tier, for recognising high-value walk-ins. A feed re-tiers thousands at once: a batch is
/// one upsert, the newest change of a customer winning; an older change arriving late changes nothing.
/// A customer whose registration has not arrived yet is added with what the change carries.
/// </summary>
public sealed class CustomerTierChangedConsumer(FootTrafficDbContext db) : InboxBatchConsumer<CustomerTierChanged, FootTrafficDbContext>(db)
{
    protected override Task HandleBatchAsync(IReadOnlyList<CustomerTierChanged> messages, ConsumeContext<Batch<CustomerTierChanged>> context)
    {
        var ids = messages.Select(m => m.CustomerId).ToArray();
        var numbers = messages.Select(m => m.CustomerNumber).ToArray();
        var branches = messages.Select(m => m.BranchCode).ToArray();
        var tiers = messages.Select(m => m.Tier).ToArray();
        var at = messages.Select(m => m.ChangedAt.ToUniversalTime()).ToArray();
        return Db.Database.ExecuteSqlAsync($"""
            INSERT INTO known_customers (customer_id, customer_number, branch_code, tier, updated_at)
            SELECT id, number, branch, tier, at FROM (
                SELECT DISTINCT ON (id) id, number, branch, tier, at
                FROM unnest({ids}::uuid[], {numbers}::text[], {branches}::text[], {tiers}::text[], {at}::timestamptz[])
                     WITH ORDINALITY AS m(id, number, branch, tier, at, n)
                ORDER BY id, at DESC, n DESC) latest
            ORDER BY id
            ON CONFLICT (customer_id) DO UPDATE SET
                tier = excluded.tier, branch_code = excluded.branch_code, updated_at = excluded.updated_at
            WHERE excluded.updated_at >= known_customers.updated_at
            """, context.CancellationToken);
    }
}

/// <summary>
/// Insights' value segment and lifecycle stage, for targeting lobby events. The nightly segmentation moves
/// thousands at once: a batch is one upsert by customer, the newest computation of a customer winning. Kept
/// even for a customer whose registration has not arrived yet; an older computation arriving late overwrites nothing.
/// </summary>
public sealed class CustomerSegmentChangedConsumer(FootTrafficDbContext db) : InboxBatchConsumer<CustomerSegmentChanged, FootTrafficDbContext>(db)
{
    protected override Task HandleBatchAsync(IReadOnlyList<CustomerSegmentChanged> messages, ConsumeContext<Batch<CustomerSegmentChanged>> context)
    {
        var ids = messages.Select(m => m.CustomerId).ToArray();
        var branches = messages.Select(m => m.BranchCode).ToArray();
        var rfm = messages.Select(m => m.Rfm).ToArray();
        var segments = messages.Select(m => m.ValueSegment).ToArray();
        var stages = messages.Select(m => m.LifecycleStage).ToArray();
        var at = messages.Select(m => m.ComputedAt.ToUniversalTime()).ToArray();
        // Ordered by key, so two concurrent batches lock shared rows in the same order.
        return Db.Database.ExecuteSqlAsync($"""
            INSERT INTO customer_segments (customer_id, branch_code, rfm, value_segment, lifecycle_stage, computed_at)
            SELECT id, branch, rfm, segment, stage, at FROM (
                SELECT DISTINCT ON (id) id, branch, rfm, segment, stage, at
                FROM unnest({ids}::uuid[], {branches}::text[], {rfm}::text[], {segments}::text[], {stages}::text[], {at}::timestamptz[])
                     WITH ORDINALITY AS m(id, branch, rfm, segment, stage, at, n)
                ORDER BY id, at DESC, n DESC) latest
            ORDER BY id
            ON CONFLICT (customer_id) DO UPDATE SET
                branch_code = excluded.branch_code, rfm = excluded.rfm, value_segment = excluded.value_segment,
                lifecycle_stage = excluded.lifecycle_stage, computed_at = excluded.computed_at
            WHERE excluded.computed_at >= customer_segments.computed_at
            """, context.CancellationToken);
    }
}
