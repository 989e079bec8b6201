using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BankClientele.Acquisition.Migrations
{
    /// <inheritdoc />
    public partial class AcquisitionSegmentsChannels : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_prospects_id_number_hash",
                table: "prospects");

            migrationBuilder.DropIndex(
                name: "ix_prospects_phone_hash",
                table: "prospects");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "submitted_at",
                table: "campaigns",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "submitted_by",
                table: "campaigns",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "channel",
                table: "campaign_costs",
                type: "character varying(30)",
                maxLength: 30,
                nullable: false,
                defaultValue: "staff");

            migrationBuilder.CreateTable(
                name: "customer_values",
                columns: table => new
                {
                    customer_id = table.Column<Guid>(type: "uuid", nullable: false),
                    branch_code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    expected_lifetime_value = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: false),
                    computed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_customer_values", x => x.customer_id);
                });

            migrationBuilder.CreateTable(
                name: "lead_stage_counts",
                columns: table => new
                {
                    campaign_code = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    branch_code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    channel = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    leads = table.Column<long>(type: "bigint", nullable: false),
                    contacted = table.Column<long>(type: "bigint", nullable: false),
                    interested = table.Column<long>(type: "bigint", nullable: false),
                    appointments = table.Column<long>(type: "bigint", nullable: false),
                    accounts_opened = table.Column<long>(type: "bigint", nullable: false),
                    activated = table.Column<long>(type: "bigint", nullable: false),
                    deposits30 = table.Column<decimal>(type: "numeric", nullable: false),
                    deposits90 = table.Column<decimal>(type: "numeric", nullable: false),
                    convert_days = table.Column<double>(type: "double precision", nullable: false),
                    converted_timed = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_lead_stage_counts", x => new { x.campaign_code, x.branch_code, x.channel });
                });

            migrationBuilder.CreateTable(
                name: "segment_definitions",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    branch_code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    city = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: true),
                    district = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: true),
                    community = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: true),
                    age_band = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: true),
                    occupation = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: true),
                    income_band = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: true),
                    tag = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: true),
                    channel = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: true),
                    engagement = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: true),
                    touches = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: true),
                    created_by = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_segment_definitions", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_prospects_id_number_hash",
                table: "prospects",
                column: "id_number_hash")
                .Annotation("Npgsql:IndexMethod", "hash");

            migrationBuilder.CreateIndex(
                name: "ix_prospects_phone_hash",
                table: "prospects",
                column: "phone_hash")
                .Annotation("Npgsql:IndexMethod", "hash");

            migrationBuilder.CreateIndex(
                name: "ix_customer_values_branch_code",
                table: "customer_values",
                column: "branch_code");

            migrationBuilder.CreateIndex(
                name: "ix_segment_definitions_branch_code_name",
                table: "segment_definitions",
                columns: new[] { "branch_code", "name" },
                unique: true);
            // Figures read pre-aggregated stage counts; statement-level triggers keep them in the
            // transaction of every change to prospects (the import's one INSERT aggregates once).
            // Upserts in key order so concurrent writers lock counter rows in the same order.
            migrationBuilder.Sql("""
                CREATE FUNCTION lead_stage_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'INSERT' THEN
                        INSERT INTO lead_stage_counts AS c (campaign_code, branch_code, channel, leads, contacted, interested, appointments, accounts_opened, activated, deposits30, deposits90, convert_days, converted_timed)
                SELECT coalesce(campaign_code, ''), branch_code, channel, sum(s),
                       sum(CASE WHEN contacted_at IS NOT NULL THEN s ELSE 0 END),
                       sum(CASE WHEN interested_at IS NOT NULL THEN s ELSE 0 END),
                       sum(CASE WHEN appointment_at IS NOT NULL THEN s ELSE 0 END),
                       sum(CASE WHEN customer_id IS NOT NULL THEN s ELSE 0 END),
                       sum(CASE WHEN activated_at IS NOT NULL THEN s ELSE 0 END),
                       sum(s * coalesce(deposit_after30days, 0)), sum(s * coalesce(deposit_after90days, 0)),
                       sum(s * coalesce(extract(epoch FROM converted_at - created_at) / 86400.0, 0))::float8,
                       sum(CASE WHEN converted_at IS NOT NULL THEN s ELSE 0 END)
                FROM (SELECT 1 AS s, n.* FROM new_rows n) d
                GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
                ON CONFLICT (campaign_code, branch_code, channel) DO UPDATE SET
                    leads = c.leads + excluded.leads, contacted = c.contacted + excluded.contacted,
                    interested = c.interested + excluded.interested, appointments = c.appointments + excluded.appointments,
                    accounts_opened = c.accounts_opened + excluded.accounts_opened, activated = c.activated + excluded.activated,
                    deposits30 = c.deposits30 + excluded.deposits30, deposits90 = c.deposits90 + excluded.deposits90,
                    convert_days = c.convert_days + excluded.convert_days, converted_timed = c.converted_timed + excluded.converted_timed;
                    ELSIF TG_OP = 'DELETE' THEN
                        INSERT INTO lead_stage_counts AS c (campaign_code, branch_code, channel, leads, contacted, interested, appointments, accounts_opened, activated, deposits30, deposits90, convert_days, converted_timed)
                SELECT coalesce(campaign_code, ''), branch_code, channel, sum(s),
                       sum(CASE WHEN contacted_at IS NOT NULL THEN s ELSE 0 END),
                       sum(CASE WHEN interested_at IS NOT NULL THEN s ELSE 0 END),
                       sum(CASE WHEN appointment_at IS NOT NULL THEN s ELSE 0 END),
                       sum(CASE WHEN customer_id IS NOT NULL THEN s ELSE 0 END),
                       sum(CASE WHEN activated_at IS NOT NULL THEN s ELSE 0 END),
                       sum(s * coalesce(deposit_after30days, 0)), sum(s * coalesce(deposit_after90days, 0)),
                       sum(s * coalesce(extract(epoch FROM converted_at - created_at) / 86400.0, 0))::float8,
                       sum(CASE WHEN converted_at IS NOT NULL THEN s ELSE 0 END)
                FROM (SELECT -1 AS s, o.* FROM old_rows o) d
                GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
                ON CONFLICT (campaign_code, branch_code, channel) DO UPDATE SET
                    leads = c.leads + excluded.leads, contacted = c.contacted + excluded.contacted,
                    interested = c.interested + excluded.interested, appointments = c.appointments + excluded.appointments,
                    accounts_opened = c.accounts_opened + excluded.accounts_opened, activated = c.activated + excluded.activated,
                    deposits30 = c.deposits30 + excluded.deposits30, deposits90 = c.deposits90 + excluded.deposits90,
                    convert_days = c.convert_days + excluded.convert_days, converted_timed = c.converted_timed + excluded.converted_timed;
                    ELSE
                        -- Only the rows whose counted columns changed: a next action or a consent moves nothing.
                        INSERT INTO lead_stage_counts AS c (campaign_code, branch_code, channel, leads, contacted, interested, appointments, accounts_opened, activated, deposits30, deposits90, convert_days, converted_timed)
                SELECT coalesce(campaign_code, ''), branch_code, channel, sum(s),
                       sum(CASE WHEN contacted_at IS NOT NULL THEN s ELSE 0 END),
                       sum(CASE WHEN interested_at IS NOT NULL THEN s ELSE 0 END),
                       sum(CASE WHEN appointment_at IS NOT NULL THEN s ELSE 0 END),
                       sum(CASE WHEN customer_id IS NOT NULL THEN s ELSE 0 END),
                       sum(CASE WHEN activated_at IS NOT NULL THEN s ELSE 0 END),
                       sum(s * coalesce(deposit_after30days, 0)), sum(s * coalesce(deposit_after90days, 0)),
                       sum(s * coalesce(extract(epoch FROM converted_at - created_at) / 86400.0, 0))::float8,
                       sum(CASE WHEN converted_at IS NOT NULL THEN s ELSE 0 END)
                FROM (SELECT 1 AS s, n.* FROM new_rows n JOIN old_rows o ON o.id = n.id
                              WHERE (n.campaign_code, n.branch_code, n.channel, n.created_at, n.contacted_at, n.interested_at, n.appointment_at, n.customer_id, n.activated_at, n.deposit_after30days, n.deposit_after90days, n.converted_at) IS DISTINCT FROM (o.campaign_code, o.branch_code, o.channel, o.created_at, o.contacted_at, o.interested_at, o.appointment_at, o.customer_id, o.activated_at, o.deposit_after30days, o.deposit_after90days, o.converted_at)
                              UNION ALL
                              SELECT -1 AS s, o.* FROM old_rows o JOIN new_rows n ON n.id = o.id
                              WHERE (n.campaign_code, n.branch_code, n.channel, n.created_at, n.contacted_at, n.interested_at, n.appointment_at, n.customer_id, n.activated_at, n.deposit_after30days, n.deposit_after90days, n.converted_at) IS DISTINCT FROM (o.campaign_code, o.branch_code, o.channel, o.created_at, o.contacted_at, o.interested_at, o.appointment_at, o.customer_id, o.activated_at, o.deposit_after30days, o.deposit_after90days, o.converted_at)) d
                GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
                ON CONFLICT (campaign_code, branch_code, channel) DO UPDATE SET
                    leads = c.leads + excluded.leads, contacted = c.contacted + excluded.contacted,
                    interested = c.interested + excluded.interested, appointments = c.appointments + excluded.appointments,
                    accounts_opened = c.accounts_opened + excluded.accounts_opened, activated = c.activated + excluded.activated,
                    deposits30 = c.deposits30 + excluded.deposits30, deposits90 = c.deposits90 + excluded.deposits90,
                    convert_days = c.convert_days + excluded.convert_days, converted_timed = c.converted_timed + excluded.converted_timed;
                    END IF;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER prospects_lead_stage_counts_insert AFTER INSERT ON prospects
                    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION lead_stage_counts_apply();
                CREATE TRIGGER prospects_lead_stage_counts_update AFTER UPDATE ON prospects
                    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION lead_stage_counts_apply();
                CREATE TRIGGER prospects_lead_stage_counts_delete AFTER DELETE ON prospects
                    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION lead_stage_counts_apply();
                CREATE FUNCTION lead_stage_counts_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    DELETE FROM lead_stage_counts;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER prospects_lead_stage_counts_truncate AFTER TRUNCATE ON prospects
                    FOR EACH STATEMENT EXECUTE FUNCTION lead_stage_counts_truncate();
                """);
            migrationBuilder.Sql("""
                INSERT INTO lead_stage_counts AS c (campaign_code, branch_code, channel, leads, contacted, interested, appointments, accounts_opened, activated, deposits30, deposits90, convert_days, converted_timed)
                SELECT coalesce(campaign_code, ''), branch_code, channel, sum(s),
                       sum(CASE WHEN contacted_at IS NOT NULL THEN s ELSE 0 END),
                       sum(CASE WHEN interested_at IS NOT NULL THEN s ELSE 0 END),
                       sum(CASE WHEN appointment_at IS NOT NULL THEN s ELSE 0 END),
                       sum(CASE WHEN customer_id IS NOT NULL THEN s ELSE 0 END),
                       sum(CASE WHEN activated_at IS NOT NULL THEN s ELSE 0 END),
                       sum(s * coalesce(deposit_after30days, 0)), sum(s * coalesce(deposit_after90days, 0)),
                       sum(s * coalesce(extract(epoch FROM converted_at - created_at) / 86400.0, 0))::float8,
                       sum(CASE WHEN converted_at IS NOT NULL THEN s ELSE 0 END)
                FROM (SELECT 1 AS s, p.* FROM prospects p) d
                GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
                ON CONFLICT (campaign_code, branch_code, channel) DO UPDATE SET
                    leads = c.leads + excluded.leads, contacted = c.contacted + excluded.contacted,
                    interested = c.interested + excluded.interested, appointments = c.appointments + excluded.appointments,
                    accounts_opened = c.accounts_opened + excluded.accounts_opened, activated = c.activated + excluded.activated,
                    deposits30 = c.deposits30 + excluded.deposits30, deposits90 = c.deposits90 + excluded.deposits90,
                    convert_days = c.convert_days + excluded.convert_days, converted_timed = c.converted_timed + excluded.converted_timed;
                INSERT INTO customer_values (customer_id, branch_code, expected_lifetime_value, computed_at)
                SELECT customer_id, branch_code, expected_lifetime_value, now() FROM existing_customers WHERE expected_lifetime_value IS NOT NULL;
                UPDATE campaign_costs k SET channel = CASE c.kind WHEN 'community-event' THEN 'community-event' WHEN 'partner' THEN 'partner' ELSE 'staff' END
                FROM campaigns c WHERE c.code = k.campaign_code;
                """);

            migrationBuilder.DropColumn(
                name: "expected_lifetime_value",
                table: "existing_customers");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER prospects_lead_stage_counts_insert ON prospects;
                DROP TRIGGER prospects_lead_stage_counts_update ON prospects;
                DROP TRIGGER prospects_lead_stage_counts_delete ON prospects;
                DROP TRIGGER prospects_lead_stage_counts_truncate ON prospects;
                DROP FUNCTION lead_stage_counts_apply();
                DROP FUNCTION lead_stage_counts_truncate();
                """);
            migrationBuilder.DropTable(
                name: "customer_values");

            migrationBuilder.DropTable(
                name: "lead_stage_counts");

            migrationBuilder.DropTable(
                name: "segment_definitions");

            migrationBuilder.DropIndex(
                name: "ix_prospects_id_number_hash",
                table: "prospects");

            migrationBuilder.DropIndex(
                name: "ix_prospects_phone_hash",
                table: "prospects");

            migrationBuilder.DropColumn(
                name: "submitted_at",
                table: "campaigns");

            migrationBuilder.DropColumn(
                name: "submitted_by",
                table: "campaigns");

            migrationBuilder.DropColumn(
                name: "channel",
                table: "campaign_costs");

            migrationBuilder.AddColumn<decimal>(
                name: "expected_lifetime_value",
                table: "existing_customers",
                type: "numeric(18,2)",
                precision: 18,
                scale: 2,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_prospects_id_number_hash",
                table: "prospects",
                column: "id_number_hash");

            migrationBuilder.CreateIndex(
                name: "ix_prospects_phone_hash",
                table: "prospects",
                column: "phone_hash");
        }
    }
}
