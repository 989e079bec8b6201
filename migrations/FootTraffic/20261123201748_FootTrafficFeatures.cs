using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BankClientele.FootTraffic.Migrations
{
    /// <inheritdoc />
    public partial class FootTrafficFeatures : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "abandoned_at",
                table: "branch_visits",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "called_at",
                table: "branch_visits",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "counter_number",
                table: "branch_visits",
                type: "character varying(10)",
                maxLength: 10,
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "log_date",
                table: "branch_visits",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "service_ended_at",
                table: "branch_visits",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "service_started_at",
                table: "branch_visits",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "source",
                table: "branch_visits",
                type: "character varying(10)",
                maxLength: 10,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "known_customers",
                columns: table => new
                {
                    customer_id = table.Column<Guid>(type: "uuid", nullable: false),
                    customer_number = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    branch_code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    phone_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    tier = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    value_segment = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    lifecycle_stage = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_known_customers", x => x.customer_id);
                });

            migrationBuilder.CreateTable(
                name: "lobby_attendances",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    lobby_event_id = table.Column<Guid>(type: "uuid", nullable: false),
                    branch_code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    customer_id = table.Column<Guid>(type: "uuid", nullable: true),
                    prospect_id = table.Column<Guid>(type: "uuid", nullable: true),
                    walk_in_id = table.Column<Guid>(type: "uuid", nullable: true),
                    checked_in_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_lobby_attendances", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "lobby_events",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    branch_code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    theme = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    starts_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ends_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    capacity = table.Column<int>(type: "integer", nullable: false),
                    budget = table.Column<decimal>(type: "numeric(14,2)", precision: 14, scale: 2, nullable: false),
                    staff = table.Column<List<string>>(type: "text[]", nullable: false),
                    target_segments = table.Column<List<string>>(type: "text[]", nullable: false),
                    targets_prospects = table.Column<bool>(type: "boolean", nullable: false),
                    planned_by = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    planned_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_lobby_events", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "lobby_invitations",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    lobby_event_id = table.Column<Guid>(type: "uuid", nullable: false),
                    branch_code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    customer_id = table.Column<Guid>(type: "uuid", nullable: true),
                    prospect_id = table.Column<Guid>(type: "uuid", nullable: true),
                    issued_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_lobby_invitations", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "lobby_outcomes",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    lobby_event_id = table.Column<Guid>(type: "uuid", nullable: false),
                    branch_code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    customer_id = table.Column<Guid>(type: "uuid", nullable: false),
                    amount = table.Column<decimal>(type: "numeric(16,2)", precision: 16, scale: 2, nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_lobby_outcomes", x => new { x.id, x.kind });
                });

            migrationBuilder.CreateTable(
                name: "roster_slots",
                columns: table => new
                {
                    branch_code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    weekday = table.Column<int>(type: "integer", nullable: false),
                    hour = table.Column<int>(type: "integer", nullable: false),
                    counters = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_roster_slots", x => new { x.branch_code, x.weekday, x.hour });
                });

            migrationBuilder.CreateTable(
                name: "walk_ins",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    branch_code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    name_masked = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    phone_masked = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    phone_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    interest = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    greeter_staff_id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    lobby_event_id = table.Column<Guid>(type: "uuid", nullable: true),
                    consent_wording = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    consented_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    identified_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    converted_customer_id = table.Column<Guid>(type: "uuid", nullable: true),
                    converted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    initial_deposit = table.Column<decimal>(type: "numeric(16,2)", precision: 16, scale: 2, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_walk_ins", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_branch_visits_customer_id",
                table: "branch_visits",
                column: "customer_id",
                filter: "customer_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ux_branch_visits_ticket_per_day",
                table: "branch_visits",
                columns: new[] { "branch_code", "log_date", "ticket_number" },
                unique: true,
                filter: "log_date IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_known_customers_branch_code_tier",
                table: "known_customers",
                columns: new[] { "branch_code", "tier" });

            migrationBuilder.CreateIndex(
                name: "ix_known_customers_phone_hash",
                table: "known_customers",
                column: "phone_hash");

            migrationBuilder.CreateIndex(
                name: "ix_lobby_attendances_customer_id",
                table: "lobby_attendances",
                column: "customer_id",
                filter: "customer_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_lobby_attendances_lobby_event_id",
                table: "lobby_attendances",
                column: "lobby_event_id");

            migrationBuilder.CreateIndex(
                name: "ix_lobby_events_branch_code_starts_at",
                table: "lobby_events",
                columns: new[] { "branch_code", "starts_at" });

            migrationBuilder.CreateIndex(
                name: "ix_lobby_invitations_lobby_event_id_customer_id",
                table: "lobby_invitations",
                columns: new[] { "lobby_event_id", "customer_id" },
                unique: true,
                filter: "customer_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_lobby_invitations_lobby_event_id_prospect_id",
                table: "lobby_invitations",
                columns: new[] { "lobby_event_id", "prospect_id" },
                unique: true,
                filter: "prospect_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_lobby_invitations_prospect_id",
                table: "lobby_invitations",
                column: "prospect_id",
                filter: "prospect_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_lobby_outcomes_lobby_event_id",
                table: "lobby_outcomes",
                column: "lobby_event_id");

            migrationBuilder.CreateIndex(
                name: "ix_walk_ins_branch_code_identified_at",
                table: "walk_ins",
                columns: new[] { "branch_code", "identified_at" });

            migrationBuilder.CreateIndex(
                name: "ix_walk_ins_phone_hash",
                table: "walk_ins",
                column: "phone_hash");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "known_customers");

            migrationBuilder.DropTable(
                name: "lobby_attendances");

            migrationBuilder.DropTable(
                name: "lobby_events");

            migrationBuilder.DropTable(
                name: "lobby_invitations");

            migrationBuilder.DropTable(
                name: "lobby_outcomes");

            migrationBuilder.DropTable(
                name: "roster_slots");

            migrationBuilder.DropTable(
                name: "walk_ins");

            migrationBuilder.DropIndex(
                name: "ix_branch_visits_customer_id",
                table: "branch_visits");

            migrationBuilder.DropIndex(
                name: "ux_branch_visits_ticket_per_day",
                table: "branch_visits");

            migrationBuilder.DropColumn(
                name: "abandoned_at",
                table: "branch_visits");

            migrationBuilder.DropColumn(
                name: "called_at",
                table: "branch_visits");

            migrationBuilder.DropColumn(
                name: "counter_number",
                table: "branch_visits");

            migrationBuilder.DropColumn(
                name: "log_date",
                table: "branch_visits");

            migrationBuilder.DropColumn(
                name: "service_ended_at",
                table: "branch_visits");

            migrationBuilder.DropColumn(
                name: "service_started_at",
                table: "branch_visits");

            migrationBuilder.DropColumn(
                name: "source",
                table: "branch_visits");
        }
    }
}
