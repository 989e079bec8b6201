using BankClientele.Contracts.Acquisition;
using BankClientele.Contracts.CustomerCare;
using BankClientele.Hosting.Messaging;
using BankClientele.Hosting.Privacy;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Insights.Kpis;

// Each consumer writes through the inbox (a redelivery changes nothing) and by key (the same event
// under a new message id replaces its row, never adds a second).

/// <summary>The manager's book for the league table: the newest assignment (by version) wins, whatever order they arrive in.</summary>
public sealed class ManagerBookConsumer(InsightsDbContext db, ILogger<ManagerBookConsumer> logger) : InboxConsumer<RelationshipManagerAssigned, InsightsDbContext>(db)
{
    protected override Task HandleAsync(RelationshipManagerAssigned m, ConsumeContext<RelationshipManagerAssigned> context) =>
        ManagerBooks.ApplyAsync(Db, logger, nameof(RelationshipManagerAssigned), m.CustomerId, m.RelationshipManagerId, m.BranchCode, m.AssignedAt,
            m.Version, context.CancellationToken);
}

/// <summary>The customer went back to the branch pool: out of the manager's book (the row stays, with no manager and its version).</summary>
public sealed class ManagerBookUnassignedConsumer(InsightsDbContext db, ILogger<ManagerBookUnassignedConsumer> logger)
    : InboxConsumer<RelationshipManagerUnassigned, InsightsDbContext>(db)
{
    protected override Task HandleAsync(RelationshipManagerUnassigned m, ConsumeContext<RelationshipManagerUnassigned> context) =>
        ManagerBooks.ApplyAsync(Db, logger, nameof(RelationshipManagerUnassigned), m.CustomerId, null, m.BranchCode, m.UnassignedAt,
            m.Version, context.CancellationToken);
}

internal static class ManagerBooks
{
    /// <summary>
    /// Sets the customer's manager (null: none) if the event is newer than the row (<see cref="StaleMessages.IsNewer"/>,
    /// here in SQL), else records that it was stale.
    /// </summary>
    public static async Task ApplyAsync(InsightsDbContext db, ILogger logger, string messageType, Guid customerId, string? managerId,
        string branchCode, DateTimeOffset at, long version, CancellationToken ct)
    {
        var applied = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO manager_books (customer_id, relationship_manager_id, branch_code, assigned_at, version)
            VALUES ({customerId}, {managerId}, {branchCode}, {at}, {version})
            ON CONFLICT (customer_id) DO UPDATE SET relationship_manager_id = excluded.relationship_manager_id,
                branch_code = excluded.branch_code, assigned_at = excluded.assigned_at, version = excluded.version
            WHERE CASE WHEN excluded.version > 0 OR manager_books.version > 0 THEN manager_books.version < excluded.version
                       ELSE manager_books.assigned_at <= excluded.assigned_at END
            """, ct);
        if (applied == 0)
        {
            var held = await db.Database.SqlQuery<long>($"SELECT version AS \"Value\" FROM manager_books WHERE customer_id = {customerId}").SingleAsync(ct);
            StaleMessages.Ignored(logger, messageType, customerId, version, held);
        }
    }
}

public sealed class RevisitCompletionConsumer(InsightsDbContext db) : InboxConsumer<RevisitCompleted, InsightsDbContext>(db)
{
    protected override Task HandleAsync(RevisitCompleted m, ConsumeContext<RevisitCompleted> context) =>
        Db.Database.ExecuteSqlAsync($"""
            INSERT INTO revisit_completions (revisit_id, customer_id, branch_code, relationship_manager_id, completed_at, on_time)
            VALUES ({m.RevisitId}, {m.CustomerId}, {m.BranchCode}, {m.RelationshipManagerId}, {m.CompletedAt}, {m.OnTime})
            ON CONFLICT (revisit_id) DO NOTHING
            """, context.CancellationToken);
}

public sealed class BundleAcceptanceConsumer(InsightsDbContext db) : InboxConsumer<BundleAccepted, InsightsDbContext>(db)
{
    protected override Task HandleAsync(BundleAccepted m, ConsumeContext<BundleAccepted> context) =>
        Db.Database.ExecuteSqlAsync($"""
            INSERT INTO bundle_acceptances (offer_id, customer_id, branch_code, relationship_manager_id, bundle_code, amount, accepted_at)
            VALUES ({m.OfferId}, {m.CustomerId}, {m.BranchCode}, {m.RelationshipManagerId}, {m.BundleCode}, {m.Amount}, {m.AcceptedAt})
            ON CONFLICT (offer_id) DO NOTHING
            """, context.CancellationToken);
}

public sealed class CampaignCostConsumer(InsightsDbContext db) : InboxConsumer<CampaignCostRecorded, InsightsDbContext>(db)
{
    protected override Task HandleAsync(CampaignCostRecorded m, ConsumeContext<CampaignCostRecorded> context) =>
        Db.Database.ExecuteSqlAsync($"""
            INSERT INTO campaign_costs (cost_id, campaign_code, branch_code, amount, category, incurred_on)
            VALUES ({m.CostId}, {m.CampaignCode}, {m.BranchCode}, {m.Amount}, {m.Category}, {m.IncurredOn})
            ON CONFLICT (cost_id) DO NOTHING
            """, context.CancellationToken);
}

/// <summary>A campaign's name and budget for the CAC table; a later launch of the same code (a relaunch) wins.</summary>
public sealed class CampaignLaunchConsumer(InsightsDbContext db) : InboxConsumer<CampaignLaunched, InsightsDbContext>(db)
{
    protected override Task HandleAsync(CampaignLaunched m, ConsumeContext<CampaignLaunched> context) =>
        Db.Database.ExecuteSqlAsync($"""
            INSERT INTO launched_campaigns (campaign_code, name, kind, branch_code, starts_on, ends_on, budget, launched_at)
            VALUES ({m.CampaignCode}, {m.Name}, {m.Kind}, {m.BranchCode}, {m.StartsOn}, {m.EndsOn}, {m.Budget}, {m.LaunchedAt})
            ON CONFLICT (campaign_code) DO UPDATE SET name = excluded.name, kind = excluded.kind, branch_code = excluded.branch_code,
                starts_on = excluded.starts_on, ends_on = excluded.ends_on, budget = excluded.budget, launched_at = excluded.launched_at
            WHERE launched_campaigns.launched_at <= excluded.launched_at
            """, context.CancellationToken);
}

/// <summary>Conversions for CAC: which campaign won the customer, and at what attributed cost.</summary>
public sealed class AcquiredCustomerV2Consumer(InsightsDbContext db) : InboxConsumer<ProspectConvertedV2, InsightsDbContext>(db)
{
    protected override Task HandleAsync(ProspectConvertedV2 m, ConsumeContext<ProspectConvertedV2> context) =>
        AcquiredCustomers.AddAsync(Db, m, context.CancellationToken);
}

#pragma warning disable CS0618 // reads the old contract, queued before the upgrade
/// <summary>A ProspectConverted queued before the upgrade (only its ids, codes and amounts are read).</summary>
public sealed class AcquiredCustomerConsumer(InsightsDbContext db, PersonalDataHash hashes) : InboxConsumer<ProspectConverted, InsightsDbContext>(db)
{
    protected override Task HandleAsync(ProspectConverted m, ConsumeContext<ProspectConverted> context) =>
        AcquiredCustomers.AddAsync(Db, m.ToV2(hashes), context.CancellationToken);
}
#pragma warning restore CS0618

internal static class AcquiredCustomers
{
    public static Task AddAsync(InsightsDbContext db, ProspectConvertedV2 m, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"""
            INSERT INTO acquired_customers (customer_id, branch_code, campaign_code, acquisition_cost, converted_at)
            VALUES ({m.CustomerId}, {m.BranchCode}, {m.CampaignCode}, {m.AcquisitionCost}, {m.ConvertedAt})
            ON CONFLICT (customer_id) DO NOTHING
            """, ct);
}

public static class KpiConsumerRegistration
{
    public static void AddKpiConsumers(IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<ManagerBookConsumer>();
        bus.AddConsumer<ManagerBookUnassignedConsumer>();
        bus.AddConsumer<RevisitCompletionConsumer>();
        bus.AddConsumer<BundleAcceptanceConsumer>();
        bus.AddConsumer<CampaignCostConsumer>();
        bus.AddConsumer<CampaignLaunchConsumer>();
        bus.AddConsumer<AcquiredCustomerConsumer>();
        bus.AddConsumer<AcquiredCustomerV2Consumer>();
    }
}
