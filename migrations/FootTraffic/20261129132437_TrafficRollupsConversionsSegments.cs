using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BankClientele.FootTraffic.Migrations
{
    /// <inheritdoc />
    public partial class TrafficRollupsConversionsSegments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "lifecycle_stage",
                table: "known_customers");

            migrationBuilder.DropColumn(
                name: "value_segment",
                table: "known_customers");

            migrationBuilder.CreateTable(
                name: "customer_segments",
                columns: table => new
                {
                    customer_id = table.Column<Guid>(type: "uuid", nullable: false),
                    branch_code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    rfm = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    value_segment = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    lifecycle_stage = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    computed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_customer_segments", x => x.customer_id);
                });

            migrationBuilder.CreateTable(
                name: "prospect_conversions",
                columns: table => new
                {
                    prospect_id = table.Column<Guid>(type: "uuid", nullable: false),
                    customer_id = table.Column<Guid>(type: "uuid", nullable: false),
                    branch_code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    phone_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    converted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    initial_deposit = table.Column<decimal>(type: "numeric(16,2)", precision: 16, scale: 2, nullable: false),
                    walk_in_id = table.Column<Guid>(type: "uuid", nullable: true),
                    lobby_event_id = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_prospect_conversions", x => x.prospect_id);
                });

            migrationBuilder.CreateTable(
                name: "traffic_days",
                columns: table => new
                {
                    branch_code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    visits = table.Column<int>(type: "integer", nullable: false),
                    identified = table.Column<int>(type: "integer", nullable: false),
                    abandoned = table.Column<int>(type: "integer", nullable: false),
                    waits = table.Column<double[]>(type: "double precision[]", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_traffic_days", x => new { x.branch_code, x.day });
                });

            migrationBuilder.CreateTable(
                name: "traffic_hours",
                columns: table => new
                {
                    branch_code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    hour = table.Column<int>(type: "integer", nullable: false),
                    service_type = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    arrivals = table.Column<int>(type: "integer", nullable: false),
                    handled = table.Column<int>(type: "integer", nullable: false),
                    handle_seconds = table.Column<double>(type: "double precision", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_traffic_hours", x => new { x.branch_code, x.day, x.hour, x.service_type });
                });

            migrationBuilder.CreateIndex(
                name: "ix_customer_segments_branch_code_lifecycle_stage",
                table: "customer_segments",
                columns: new[] { "branch_code", "lifecycle_stage" });

            migrationBuilder.CreateIndex(
                name: "ix_customer_segments_branch_code_value_segment",
                table: "customer_segments",
                columns: new[] { "branch_code", "value_segment" });

            migrationBuilder.CreateIndex(
                name: "ix_prospect_conversions_phone_hash",
                table: "prospect_conversions",
                column: "phone_hash",
                filter: "phone_hash IS NOT NULL");

            // The rollups of the visits already recorded (the same recompute the service runs for a touched branch-day).
            migrationBuilder.Sql("""
            WITH d AS (SELECT DISTINCT branch_code, (arrived_at AT TIME ZONE 'Asia/Shanghai')::date AS day FROM branch_visits),
            v AS (
                SELECT v.branch_code, d.day, extract(hour FROM v.arrived_at AT TIME ZONE 'Asia/Shanghai')::int AS hour, v.service_type,
                       v.customer_id, v.abandoned_at,
                       extract(epoch FROM v.service_ended_at - v.service_started_at)::float8 AS handle,
                       extract(epoch FROM COALESCE(v.called_at, v.service_started_at) - v.arrived_at)::float8 AS wait
                FROM d JOIN branch_visits v ON v.branch_code = d.branch_code
                 AND v.arrived_at >= (d.day::timestamp AT TIME ZONE 'Asia/Shanghai')
                 AND v.arrived_at < ((d.day + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')
            ), hours AS (
                INSERT INTO traffic_hours (branch_code, day, hour, service_type, arrivals, handled, handle_seconds)
                SELECT branch_code, day, hour, service_type, count(*), count(handle), COALESCE(sum(handle), 0) FROM v GROUP BY 1, 2, 3, 4
                ON CONFLICT (branch_code, day, hour, service_type) DO UPDATE SET
                    arrivals = excluded.arrivals, handled = excluded.handled, handle_seconds = excluded.handle_seconds
                RETURNING 1
            )
            INSERT INTO traffic_days (branch_code, day, visits, identified, abandoned, waits)
            SELECT branch_code, day, count(*), count(customer_id), count(abandoned_at),
                   COALESCE(array_agg(wait ORDER BY wait) FILTER (WHERE wait IS NOT NULL), ARRAY[]::float8[])
            FROM v GROUP BY 1, 2
            ON CONFLICT (branch_code, day) DO UPDATE SET
                visits = excluded.visits, identified = excluded.identified, abandoned = excluded.abandoned, waits = excluded.waits
            """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "customer_segments");

            migrationBuilder.DropTable(
                name: "prospect_conversions");

            migrationBuilder.DropTable(
                name: "traffic_days");

            migrationBuilder.DropTable(
                name: "traffic_hours");

            migrationBuilder.AddColumn<string>(
                name: "lifecycle_stage",
                table: "known_customers",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "value_segment",
                table: "known_customers",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);
        }
    }
}
