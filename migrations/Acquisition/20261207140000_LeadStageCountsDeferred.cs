using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BankClientele.Acquisition.Migrations
{
    /// <summary>
    /// The lead counts' trigger may defer (issue #26): in a transaction that sets
    /// <c>acquisition.lead_stage_counts = 'deferred'</c> (the prospect import), each statement's deltas go to that
    /// transaction's temp table <c>lead_stage_count_deltas</c> instead of locking <c>lead_stage_counts</c> rows, and
    /// the import applies them in one statement, in key order, just before its commit. Every other writer is as before.
    /// </summary>
    public partial class LeadStageCountsDeferred : Migration
    {
        private const string Columns = "campaign_code, branch_code, channel, leads, contacted, interested, appointments, accounts_opened, activated, deposits30, deposits90, convert_days, converted_timed";

        private const string Inserted = "SELECT 1 AS s, n.* FROM new_rows n";

        private const string Deleted = "SELECT -1 AS s, o.* FROM old_rows o";

        private const string Counted = "(n.campaign_code, n.branch_code, n.channel, n.created_at, n.contacted_at, n.interested_at, n.appointment_at, n.customer_id, n.activated_at, n.deposit_after30days, n.deposit_after90days, n.converted_at) IS DISTINCT FROM (o.campaign_code, o.branch_code, o.channel, o.created_at, o.contacted_at, o.interested_at, o.appointment_at, o.customer_id, o.activated_at, o.deposit_after30days, o.deposit_after90days, o.converted_at)";

        // Only the rows whose counted columns changed: a next action or a consent moves nothing.
        private static readonly string Updated = $"""
            SELECT 1 AS s, n.* FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE {Counted}
                              UNION ALL
                              SELECT -1 AS s, o.* FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE {Counted}
            """;

        /// <summary>The rows' deltas per lead count, in key order: added to <c>lead_stage_counts</c>, or kept as they are in the deferred deltas.</summary>
        private static string Deltas(string rows, bool deferred) => $"""
                        INSERT INTO {(deferred ? "pg_temp.lead_stage_count_deltas" : "lead_stage_counts")} AS c ({Columns})
                SELECT coalesce(campaign_code, ''), branch_code, channel, sum(s),
                       sum(CASE WHEN contacted_at IS NOT NULL THEN s ELSE 0 END),
                       sum(CASE WHEN interested_at IS NOT NULL THEN s ELSE 0 END),
                       sum(CASE WHEN appointment_at IS NOT NULL THEN s ELSE 0 END),
                       sum(CASE WHEN customer_id IS NOT NULL THEN s ELSE 0 END),
                       sum(CASE WHEN activated_at IS NOT NULL THEN s ELSE 0 END),
                       sum(s * coalesce(deposit_after30days, 0)), sum(s * coalesce(deposit_after90days, 0)),
                       sum(s * coalesce(extract(epoch FROM converted_at - created_at) / 86400.0, 0))::float8,
                       sum(CASE WHEN converted_at IS NOT NULL THEN s ELSE 0 END)
                FROM ({rows}) d
                GROUP BY 1, 2, 3 ORDER BY 1, 2, 3{(deferred ? ";" : Merge)}
            """;

        private const string Merge = """

                ON CONFLICT (campaign_code, branch_code, channel) DO UPDATE SET
                    leads = c.leads + excluded.leads, contacted = c.contacted + excluded.contacted,
                    interested = c.interested + excluded.interested, appointments = c.appointments + excluded.appointments,
                    accounts_opened = c.accounts_opened + excluded.accounts_opened, activated = c.activated + excluded.activated,
                    deposits30 = c.deposits30 + excluded.deposits30, deposits90 = c.deposits90 + excluded.deposits90,
                    convert_days = c.convert_days + excluded.convert_days, converted_timed = c.converted_timed + excluded.converted_timed;
            """;

        private static string ByOperation(bool deferred) => $"""
                    IF TG_OP = 'INSERT' THEN
            {Deltas(Inserted, deferred)}
                    ELSIF TG_OP = 'DELETE' THEN
            {Deltas(Deleted, deferred)}
                    ELSE
            {Deltas(Updated, deferred)}
                    END IF;
            """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql($"""
                CREATE OR REPLACE FUNCTION lead_stage_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    -- The import's transaction: no lead_stage_counts row locked until it applies its deltas at its end.
                    IF current_setting('acquisition.lead_stage_counts', true) = 'deferred' THEN
                {ByOperation(deferred: true)}
                        RETURN NULL;
                    END IF;
                {ByOperation(deferred: false)}
                    RETURN NULL;
                END $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql($"""
                CREATE OR REPLACE FUNCTION lead_stage_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                {ByOperation(deferred: false)}
                    RETURN NULL;
                END $$;
                """);
        }
    }
}
