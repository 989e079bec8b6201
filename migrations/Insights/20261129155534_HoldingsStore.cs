using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BankClientele.Insights.Migrations
{
    /// <inheritdoc />
    public partial class HoldingsStore : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "analytic_accounts",
                columns: table => new
                {
                    account_number = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    customer_id = table.Column<Guid>(type: "uuid", nullable: false),
                    branch_code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    product_code = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    opened_on = table.Column<DateOnly>(type: "date", nullable: false),
                    first_deposit = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: false),
                    first_account_of_customer = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_analytic_accounts", x => x.account_number);
                });

            migrationBuilder.CreateTable(
                name: "branch_product_days",
                columns: table => new
                {
                    branch_code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    product_code = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    accounts = table.Column<int>(type: "integer", nullable: false),
                    first_accounts = table.Column<int>(type: "integer", nullable: false),
                    first_deposits = table.Column<decimal>(type: "numeric(22,2)", precision: 22, scale: 2, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_branch_product_days", x => new { x.branch_code, x.product_code, x.day });
                });

            migrationBuilder.CreateIndex(
                name: "ix_analytic_accounts_branch_code_product_code_customer_id",
                table: "analytic_accounts",
                columns: new[] { "branch_code", "product_code", "customer_id" });

            migrationBuilder.CreateIndex(
                name: "ix_branch_product_days_day",
                table: "branch_product_days",
                column: "day");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "analytic_accounts");

            migrationBuilder.DropTable(
                name: "branch_product_days");
        }
    }
}
