using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BankClientele.CustomerCare.Migrations
{
    /// <inheritdoc />
    public partial class Revisits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "branch_webhooks",
                columns: table => new
                {
                    branch_code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    url = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    format = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    updated_by = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_branch_webhooks", x => x.branch_code);
                });

            migrationBuilder.CreateTable(
                name: "calendar_links",
                columns: table => new
                {
                    staff_id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    token_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_calendar_links", x => x.staff_id);
                });

            migrationBuilder.CreateTable(
                name: "lobby_alerts",
                columns: table => new
                {
                    visit_id = table.Column<Guid>(type: "uuid", nullable: false),
                    customer_id = table.Column<Guid>(type: "uuid", nullable: false),
                    branch_code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    relationship_manager_id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    tier = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    service_type = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    arrived_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_lobby_alerts", x => x.visit_id);
                });

            migrationBuilder.CreateTable(
                name: "revisit_reminders",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    revisit_id = table.Column<Guid>(type: "uuid", nullable: false),
                    branch_code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    recipient = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    message = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    queued_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_revisit_reminders", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "revisits",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    customer_id = table.Column<Guid>(type: "uuid", nullable: false),
                    branch_code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    relationship_manager_id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    reason = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    detail = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    due_on = table.Column<DateOnly>(type: "date", nullable: false),
                    status = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    escalation_level = table.Column<int>(type: "integer", nullable: false),
                    completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    completed_by = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    channel = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    outcome = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    notes = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    on_time = table.Column<bool>(type: "boolean", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_revisits", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_calendar_links_token_hash",
                table: "calendar_links",
                column: "token_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_lobby_alerts_relationship_manager_id_arrived_at",
                table: "lobby_alerts",
                columns: new[] { "relationship_manager_id", "arrived_at" });

            migrationBuilder.CreateIndex(
                name: "ix_revisit_reminders_revisit_id_kind",
                table: "revisit_reminders",
                columns: new[] { "revisit_id", "kind" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_revisit_reminders_unsent",
                table: "revisit_reminders",
                column: "sent_at",
                filter: "sent_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_revisits_branch_code_status_due_on",
                table: "revisits",
                columns: new[] { "branch_code", "status", "due_on" });

            migrationBuilder.CreateIndex(
                name: "ix_revisits_customer_id_completed_at",
                table: "revisits",
                columns: new[] { "customer_id", "completed_at" });

            migrationBuilder.CreateIndex(
                name: "ix_revisits_open_due_on",
                table: "revisits",
                column: "due_on",
                filter: "status = 'Open'");

            migrationBuilder.CreateIndex(
                name: "ix_revisits_relationship_manager_id_status_due_on",
                table: "revisits",
                columns: new[] { "relationship_manager_id", "status", "due_on" });

            migrationBuilder.CreateIndex(
                name: "ux_revisits_one_open_per_customer_and_reason",
                table: "revisits",
                columns: new[] { "customer_id", "reason" },
                unique: true,
                filter: "status = 'Open'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "branch_webhooks");

            migrationBuilder.DropTable(
                name: "calendar_links");

            migrationBuilder.DropTable(
                name: "lobby_alerts");

            migrationBuilder.DropTable(
                name: "revisit_reminders");

            migrationBuilder.DropTable(
                name: "revisits");
        }
    }
}
