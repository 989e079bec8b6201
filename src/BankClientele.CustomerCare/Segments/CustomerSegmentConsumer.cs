using BankClientele.Contracts.Insights;
using BankClientele.CustomerCare.Revisits;
using BankClientele.Hosting.Messaging;
using BankClientele.Hosting.Time;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BankClientele.CustomerCare.Segments;

/// <summary>
/// Insights' nightly segmentation (<see cref="CustomerSegmentChanged"/>, one message per customer who
/// moved): each customer keeps their latest lifecycle stage, value segment, RFM cell, P(alive) and CLV
/// (a message older than the one kept changes nothing). A customer who is now at risk
/// (<see cref="RevisitRules.IsAtRisk"/>) has their open regular visit brought forward to the shortened
/// cadence (<see cref="RevisitCadence"/>, the one table); the nightly pass schedules the next ones on it.
/// Segmentation moves thousands of customers at once, so messages are handled in batches, one statement each.
/// </summary>
public sealed class CustomerSegmentConsumer(CustomerCareDbContext db, IOptions<RevisitOptions> options, TimeProvider clock)
    : InboxBatchConsumer<CustomerSegmentChanged, CustomerCareDbContext>(db)
{
    /// <summary>The batch's segments kept, and the at-risk customers' open regular visits brought forward.</summary>
    private const string Sql = $"""
                WITH incoming AS (
                    SELECT DISTINCT ON (m.customer_id) m.*
                    FROM unnest(@ids::uuid[], @stages::text[], @segments::text[], @rfm::text[], @alive::float8[], @clv::numeric[], @at::timestamptz[])
                         AS m(customer_id, lifecycle_stage, value_segment, rfm, probability_alive, clv, computed_at)
                    ORDER BY m.customer_id, m.computed_at DESC),
                kept AS (
                    UPDATE customers c
                    SET lifecycle_stage = left(m.lifecycle_stage, 20), value_segment = left(m.value_segment, 40), rfm = left(m.rfm, 3),
                        probability_alive = m.probability_alive, expected_lifetime_value = m.clv, segment_computed_at = m.computed_at
                    FROM incoming m
                    WHERE c.id = m.customer_id AND (c.segment_computed_at IS NULL OR c.segment_computed_at < m.computed_at)
                    RETURNING c.id, c.tier, c.joined_at, m.lifecycle_stage, m.probability_alive,
                              coalesce(m.lifecycle_stage = ANY(@risk_stages) OR m.probability_alive < @risk_alive, false) AS at_risk),
                due AS (
                    SELECT k.id, t.short_days,
                           greatest(@today, coalesce(v.last_on, (k.joined_at AT TIME ZONE '{BranchClock.SqlZone}')::date) + t.short_days) AS due_on,
                           CASE WHEN k.lifecycle_stage = ANY(@risk_stages) THEN k.lifecycle_stage ELSE 'P(alive) ' || round(k.probability_alive::numeric, 2) END AS why
                    FROM kept k
                    JOIN (SELECT tier, at_risk_days AS short_days FROM {RevisitCadence.Sql}) t ON t.tier = k.tier
                    LEFT JOIN LATERAL (SELECT max((x.completed_at AT TIME ZONE '{BranchClock.SqlZone}')::date) AS last_on
                                       FROM revisits x WHERE x.customer_id = k.id AND x.status = 'Completed') v ON true
                    WHERE k.at_risk)
                UPDATE revisits r
                SET due_on = d.due_on, escalation_level = 0,
                    detail = left(coalesce(r.detail, '') || ' (at risk: ' || d.why || ', every ' || d.short_days || ' days)', 200)
                FROM due d
                WHERE r.customer_id = d.id AND r.reason = 'scheduled' AND r.status = 'Open' AND r.due_on > d.due_on
                """;

    protected override async Task HandleBatchAsync(IReadOnlyList<CustomerSegmentChanged> messages, ConsumeContext<Batch<CustomerSegmentChanged>> context)
    {
        var o = options.Value;
        await Db.Database.ExecuteSqlRawAsync(Sql,
            [
                new NpgsqlParameter("ids", messages.Select(m => m.CustomerId).ToArray()),
                new NpgsqlParameter("stages", messages.Select(m => m.LifecycleStage).ToArray()),
                new NpgsqlParameter("segments", messages.Select(m => m.ValueSegment).ToArray()),
                new NpgsqlParameter("rfm", messages.Select(m => m.Rfm).ToArray()),
                new NpgsqlParameter("alive", messages.Select(m => m.ProbabilityAlive).ToArray()),
                new NpgsqlParameter("clv", messages.Select(m => m.ExpectedLifetimeValue).ToArray()),
                new NpgsqlParameter("at", messages.Select(m => m.ComputedAt.ToUniversalTime()).ToArray()),
                new NpgsqlParameter("risk_stages", o.AtRiskLifecycleStages), new NpgsqlParameter("risk_alive", o.AtRiskProbabilityAlive),
                .. RevisitCadence.Parameters(o),
                new NpgsqlParameter("today", BranchClock.DayOf(clock.GetUtcNow())),
            ], context.CancellationToken);
    }
}
