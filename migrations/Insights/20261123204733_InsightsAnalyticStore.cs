using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BankClientele.Insights.Migrations
{
    /// <inheritdoc />
    public partial class InsightsAnalyticStore : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "analytic_customers",
                columns: table => new
                {
                    customer_id = table.Column<Guid>(type: "uuid", nullable: false),
                    customer_number = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    branch_code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    first_seen_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_analytic_customers", x => x.customer_id);
                });

            migrationBuilder.CreateTable(
                name: "branch_daily_deposits",
                columns: table => new
                {
                    branch_code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    customers = table.Column<int>(type: "integer", nullable: false),
                    deposit = table.Column<decimal>(type: "numeric(20,2)", precision: 20, scale: 2, nullable: false),
                    wealth = table.Column<decimal>(type: "numeric(20,2)", precision: 20, scale: 2, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_branch_daily_deposits", x => new { x.branch_code, x.day });
                });

            migrationBuilder.CreateTable(
                name: "campaign_audience",
                columns: table => new
                {
                    campaign_code = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    customer_id = table.Column<Guid>(type: "uuid", nullable: false),
                    branch_code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    treated = table.Column<bool>(type: "boolean", nullable: false),
                    starts_on = table.Column<DateOnly>(type: "date", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_campaign_audience", x => new { x.campaign_code, x.customer_id });
                });

            migrationBuilder.CreateTable(
                name: "daily_balances",
                columns: table => new
                {
                    customer_id = table.Column<Guid>(type: "uuid", nullable: false),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    branch_code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    deposit = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: false),
                    wealth = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_daily_balances", x => new { x.customer_id, x.day });
                });

            migrationBuilder.CreateIndex(
                name: "ix_daily_balances_branch_code_day",
                table: "daily_balances",
                columns: new[] { "branch_code", "day" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "analytic_customers");

            migrationBuilder.DropTable(
                name: "branch_daily_deposits");

            migrationBuilder.DropTable(
                name: "campaign_audience");

            migrationBuilder.DropTable(
                name: "daily_balances");
        }
    }
}
