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
/// Insights' value segment and lifecycle stage, for targeting lobby events. Kept even for a customer whose
/// registration has not arrived yet; an older computation arriving late does not overwrite a newer one.
/// </summary>
public sealed class CustomerSegmentChangedConsumer(FootTrafficDbContext db) : InboxConsumer<CustomerSegmentChanged, FootTrafficDbContext>(db)
{
    protected override async Task HandleAsync(CustomerSegmentChanged message, ConsumeContext<CustomerSegmentChanged> context)
    {
        var segment = await Db.CustomerSegments.FindAsync([message.CustomerId], context.CancellationToken);
        if (segment is null)
        {
            Db.CustomerSegments.Add(new CustomerSegment
            {
                CustomerId = message.CustomerId, BranchCode = message.BranchCode, Rfm = message.Rfm,
                ValueSegment = message.ValueSegment, LifecycleStage = message.LifecycleStage, ComputedAt = message.ComputedAt,
            });
            return;
        }
        if (message.ComputedAt >= segment.ComputedAt)
        {
            segment.BranchCode = message.BranchCode;
            segment.Rfm = message.Rfm;
            segment.ValueSegment = message.ValueSegment;
            segment.LifecycleStage = message.LifecycleStage;
            segment.ComputedAt = message.ComputedAt;
        }
    }
}
