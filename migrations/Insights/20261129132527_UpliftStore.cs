using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BankClientele.Insights.Migrations
{
    /// <inheritdoc />
    public partial class UpliftStore : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "customer_attributes",
                columns: table => new
                {
                    customer_id = table.Column<Guid>(type: "uuid", nullable: false),
                    branch_code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    tier = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    tier_changed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    relationship_manager_id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    assigned_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    segment = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    lifecycle_stage = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    segment_changed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_customer_attributes", x => x.customer_id);
                });

            migrationBuilder.CreateTable(
                name: "daily_group_deposits",
                columns: table => new
                {
                    dimension = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    branch_code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    group_key = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    customers = table.Column<int>(type: "integer", nullable: false),
                    deposit = table.Column<decimal>(type: "numeric(20,2)", precision: 20, scale: 2, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_daily_group_deposits", x => new { x.dimension, x.day, x.branch_code, x.group_key });
                });

            migrationBuilder.CreateTable(
                name: "lobby_attendance",
                columns: table => new
                {
                    attendance_id = table.Column<Guid>(type: "uuid", nullable: false),
                    lobby_event_id = table.Column<Guid>(type: "uuid", nullable: false),
                    branch_code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    customer_id = table.Column<Guid>(type: "uuid", nullable: true),
                    checked_in_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_lobby_attendance", x => x.attendance_id);
                });

            migrationBuilder.CreateTable(
                name: "uplift_stale_branches",
                columns: table => new
                {
                    branch_code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    marked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_uplift_stale_branches", x => x.branch_code);
                });

            migrationBuilder.CreateIndex(
                name: "ix_campaign_audience_customer_id",
                table: "campaign_audience",
                column: "customer_id");

            migrationBuilder.CreateIndex(
                name: "ix_daily_group_deposits_branch_code_day",
                table: "daily_group_deposits",
                columns: new[] { "branch_code", "day" });

            migrationBuilder.CreateIndex(
                name: "ix_lobby_attendance_branch_code_checked_in_at",
                table: "lobby_attendance",
                columns: new[] { "branch_code", "checked_in_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "customer_attributes");

            migrationBuilder.DropTable(
                name: "daily_group_deposits");

            migrationBuilder.DropTable(
                name: "lobby_attendance");

            migrationBuilder.DropTable(
                name: "uplift_stale_branches");

            migrationBuilder.DropIndex(
                name: "ix_campaign_audience_customer_id",
                table: "campaign_audience");
        }
    }
}
