using BankClientele.Contracts.CustomerCare;
using BankClientele.Contracts.Insights;
using BankClientele.Hosting.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Acquisition.Customers;

/// <summary>
/// Keeps the book's customers (hashes only) so they are never prospected and can be a campaign's
/// audience. A feed registers thousands at once: a batch is one upsert, the latest message of a
/// customer winning, a hash the message lacks kept from before.
/// </summary>
public sealed class CustomerRegisteredConsumer(AcquisitionDbContext db) : InboxBatchConsumer<CustomerRegistered, AcquisitionDbContext>(db)
{
    protected override Task HandleBatchAsync(IReadOnlyList<CustomerRegistered> messages, ConsumeContext<Batch<CustomerRegistered>> context)
    {
        var ids = messages.Select(m => m.CustomerId).ToArray();
        var numbers = messages.Select(m => m.CustomerNumber).ToArray();
        var branches = messages.Select(m => m.BranchCode).ToArray();
        var phones = messages.Select(m => m.PhoneHash).ToArray();
        var idNumbers = messages.Select(m => m.IdNumberHash).ToArray();
        var tiers = messages.Select(m => m.Tier).ToArray();
        // Ordered by key, so two concurrent batches lock shared rows in the same order.
        return Db.Database.ExecuteSqlAsync($"""
            INSERT INTO existing_customers (customer_id, customer_number, branch_code, phone_hash, id_number_hash, tier)
            SELECT id, number, branch, phone, id_number, tier FROM (
                SELECT DISTINCT ON (id) id, number, branch, phone, id_number, tier
                FROM unnest({ids}::uuid[], {numbers}::text[], {branches}::text[], {phones}::text[], {idNumbers}::text[], {tiers}::text[])
                     WITH ORDINALITY AS m(id, number, branch, phone, id_number, tier, n)
                ORDER BY id, n DESC) latest
            ORDER BY id
            ON CONFLICT (customer_id) DO UPDATE SET
                branch_code = excluded.branch_code,
                phone_hash = coalesce(excluded.phone_hash, existing_customers.phone_hash),
                id_number_hash = coalesce(excluded.id_number_hash, existing_customers.id_number_hash),
                tier = excluded.tier
            """, context.CancellationToken);
    }
}

/// <summary>
/// Insights' CLV of existing customers: the profitability sub-score of similar prospects. The nightly
/// segmentation moves thousands at once: a batch is one upsert by customer, the newest computation of a
/// customer winning; an older one arriving late (redeliveries, reordering) overwrites nothing.
/// </summary>
public sealed class CustomerSegmentChangedConsumer(AcquisitionDbContext db) : InboxBatchConsumer<CustomerSegmentChanged, AcquisitionDbContext>(db)
{
    protected override Task HandleBatchAsync(IReadOnlyList<CustomerSegmentChanged> messages, ConsumeContext<Batch<CustomerSegmentChanged>> context)
    {
        var ids = messages.Select(m => m.CustomerId).ToArray();
        var branches = messages.Select(m => m.BranchCode).ToArray();
        var values = messages.Select(m => m.ExpectedLifetimeValue).ToArray();
        var at = messages.Select(m => m.ComputedAt.ToUniversalTime()).ToArray();
        // Ordered by key, so two concurrent batches lock shared rows in the same order.
        return Db.Database.ExecuteSqlAsync($"""
            INSERT INTO customer_values (customer_id, branch_code, expected_lifetime_value, computed_at)
            SELECT id, branch, value, at FROM (
                SELECT DISTINCT ON (id) id, branch, value, at
                FROM unnest({ids}::uuid[], {branches}::text[], {values}::numeric[], {at}::timestamptz[]) WITH ORDINALITY AS m(id, branch, value, at, n)
                ORDER BY id, at DESC, n DESC) latest
            ORDER BY id
            ON CONFLICT (customer_id) DO UPDATE SET
                branch_code = excluded.branch_code, expected_lifetime_value = excluded.expected_lifetime_value, computed_at = excluded.computed_at
            WHERE excluded.computed_at >= customer_values.computed_at
            """, context.CancellationToken);
    }
}

/// <summary>Upserts the customer's manager; an older assignment arriving late (lower version) never overwrites a newer one.</summary>
public sealed class RelationshipManagerAssignedConsumer(AcquisitionDbContext db, ILogger<RelationshipManagerAssignedConsumer> logger)
    : InboxConsumer<RelationshipManagerAssigned, AcquisitionDbContext>(db)
{
    protected override Task HandleAsync(RelationshipManagerAssigned message, ConsumeContext<RelationshipManagerAssigned> context) =>
        CustomerManagers.ApplyAsync(Db, logger, nameof(RelationshipManagerAssigned), message.CustomerId, message.RelationshipManagerId,
            message.BranchCode, message.AssignedAt, message.Version, context.CancellationToken);
}

/// <summary>The customer went back to the branch pool: no manager (kept as a row, with its version, so a late older assignment stays out).</summary>
public sealed class RelationshipManagerUnassignedConsumer(AcquisitionDbContext db, ILogger<RelationshipManagerUnassignedConsumer> logger)
    : InboxConsumer<RelationshipManagerUnassigned, AcquisitionDbContext>(db)
{
    protected override Task HandleAsync(RelationshipManagerUnassigned message, ConsumeContext<RelationshipManagerUnassigned> context) =>
        CustomerManagers.ApplyAsync(Db, logger, nameof(RelationshipManagerUnassigned), message.CustomerId, null,
            message.BranchCode, message.UnassignedAt, message.Version, context.CancellationToken);
}

internal static class CustomerManagers
{
    /// <summary>Sets the customer's manager (null: none) if the event is newer than the one held, else records that it was stale.</summary>
    public static async Task ApplyAsync(AcquisitionDbContext db, ILogger logger, string messageType, Guid customerId, string? managerId,
        string branchCode, DateTimeOffset at, long version, CancellationToken ct)
    {
        var current = await db.CustomerManagers.FindAsync([customerId], ct);
        if (current is null)
        {
            db.CustomerManagers.Add(new CustomerManager
            {
                CustomerId = customerId, RelationshipManagerId = managerId, BranchCode = branchCode, AssignedAt = at, Version = version,
            });
            return;
        }
        if (!StaleMessages.IsNewer(version, at, current.Version, current.AssignedAt))
        {
            StaleMessages.Ignored(logger, messageType, customerId, version, current.Version);
            return;
        }
        current.RelationshipManagerId = managerId;
        current.BranchCode = branchCode;
        current.AssignedAt = at;
        current.Version = version;
    }
}
