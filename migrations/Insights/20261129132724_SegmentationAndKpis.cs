using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BankClientele.Insights.Migrations
{
    /// <inheritdoc />
    public partial class SegmentationAndKpis : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "acquired_customers",
                columns: table => new
                {
                    customer_id = table.Column<Guid>(type: "uuid", nullable: false),
                    branch_code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    campaign_code = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    acquisition_cost = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: true),
                    converted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_acquired_customers", x => x.customer_id);
                });

            migrationBuilder.CreateTable(
                name: "branch_cities",
                columns: table => new
                {
                    branch_code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    city = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_branch_cities", x => x.branch_code);
                });

            migrationBuilder.CreateTable(
                name: "bundle_acceptances",
                columns: table => new
                {
                    offer_id = table.Column<Guid>(type: "uuid", nullable: false),
                    customer_id = table.Column<Guid>(type: "uuid", nullable: false),
                    branch_code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    relationship_manager_id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    bundle_code = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    amount = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: false),
                    accepted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_bundle_acceptances", x => x.offer_id);
                });

            migrationBuilder.CreateTable(
                name: "campaign_costs",
                columns: table => new
                {
                    cost_id = table.Column<Guid>(type: "uuid", nullable: false),
                    campaign_code = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    branch_code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    amount = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: false),
                    category = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    incurred_on = table.Column<DateOnly>(type: "date", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_campaign_costs", x => x.cost_id);
                });

            migrationBuilder.CreateTable(
                name: "customer_segments",
                columns: table => new
                {
                    customer_id = table.Column<Guid>(type: "uuid", nullable: false),
                    branch_code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    rfm = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    recency_score = table.Column<short>(type: "smallint", nullable: false),
                    frequency_score = table.Column<short>(type: "smallint", nullable: false),
                    monetary_score = table.Column<short>(type: "smallint", nullable: false),
                    days_since_last_transaction = table.Column<int>(type: "integer", nullable: false),
                    repeat_transactions = table.Column<int>(type: "integer", nullable: false),
                    assets = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: false),
                    probability_alive = table.Column<double>(type: "double precision", nullable: false),
                    expected_transactions = table.Column<double>(type: "double precision", nullable: false),
                    clv = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: false),
                    value_segment = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    lifecycle_stage = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    as_of = table.Column<DateOnly>(type: "date", nullable: false),
                    changed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_customer_segments", x => x.customer_id);
                });

            migrationBuilder.CreateTable(
                name: "manager_books",
                columns: table => new
                {
                    customer_id = table.Column<Guid>(type: "uuid", nullable: false),
                    relationship_manager_id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    branch_code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    assigned_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_manager_books", x => x.customer_id);
                });

            migrationBuilder.CreateTable(
                name: "regional_deposits",
                columns: table => new
                {
                    city = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    month = table.Column<DateOnly>(type: "date", nullable: false),
                    total_deposits = table.Column<decimal>(type: "numeric(22,2)", precision: 22, scale: 2, nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_by = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_regional_deposits", x => new { x.city, x.month });
                });

            migrationBuilder.CreateTable(
                name: "revisit_completions",
                columns: table => new
                {
                    revisit_id = table.Column<Guid>(type: "uuid", nullable: false),
                    customer_id = table.Column<Guid>(type: "uuid", nullable: false),
                    branch_code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    relationship_manager_id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    on_time = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_revisit_completions", x => x.revisit_id);
                });

            migrationBuilder.CreateTable(
                name: "segmentation_runs",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    as_of = table.Column<DateOnly>(type: "date", nullable: false),
                    customers = table.Column<int>(type: "integer", nullable: false),
                    updated = table.Column<int>(type: "integer", nullable: false),
                    published = table.Column<int>(type: "integer", nullable: false),
                    model = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    parameters = table.Column<string>(type: "jsonb", nullable: false),
                    seconds = table.Column<double>(type: "double precision", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_segmentation_runs", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_acquired_customers_campaign_code",
                table: "acquired_customers",
                column: "campaign_code");

            migrationBuilder.CreateIndex(
                name: "ix_bundle_acceptances_relationship_manager_id_accepted_at",
                table: "bundle_acceptances",
                columns: new[] { "relationship_manager_id", "accepted_at" });

            migrationBuilder.CreateIndex(
                name: "ix_campaign_costs_campaign_code",
                table: "campaign_costs",
                column: "campaign_code");

            migrationBuilder.CreateIndex(
                name: "ix_customer_segments_branch_code_value_segment",
                table: "customer_segments",
                columns: new[] { "branch_code", "value_segment" });

            migrationBuilder.CreateIndex(
                name: "ix_manager_books_relationship_manager_id",
                table: "manager_books",
                column: "relationship_manager_id");

            migrationBuilder.CreateIndex(
                name: "ix_revisit_completions_relationship_manager_id_completed_at",
                table: "revisit_completions",
                columns: new[] { "relationship_manager_id", "completed_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "acquired_customers");

            migrationBuilder.DropTable(
                name: "branch_cities");

            migrationBuilder.DropTable(
                name: "bundle_acceptances");

            migrationBuilder.DropTable(
                name: "campaign_costs");

            migrationBuilder.DropTable(
                name: "customer_segments");

            migrationBuilder.DropTable(
                name: "manager_books");

            migrationBuilder.DropTable(
                name: "regional_deposits");

            migrationBuilder.DropTable(
                name: "revisit_completions");

            migrationBuilder.DropTable(
                name: "segmentation_runs");
        }
    }
}
