using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BankClientele.CustomerCare.Migrations
{
    /// <inheritdoc />
    public partial class CustomerBook : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<decimal>(
                name: "average_assets",
                table: "customers",
                type: "numeric(18,2)",
                precision: 18,
                scale: 2,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AddColumn<DateOnly>(
                name: "balance_date",
                table: "customers",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "birth_date",
                table: "customers",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "city",
                table: "customers",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "customer_number",
                table: "customers",
                type: "character varying(30)",
                maxLength: 30,
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "deposit_balance",
                table: "customers",
                type: "numeric(18,2)",
                precision: 18,
                scale: 2,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AddColumn<string>(
                name: "district",
                table: "customers",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "gender",
                table: "customers",
                type: "character varying(10)",
                maxLength: 10,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "id_number",
                table: "customers",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "id_type",
                table: "customers",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "occupation",
                table: "customers",
                type: "character varying(60)",
                maxLength: 60,
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "risk_assessed_on",
                table: "customers",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "risk_level",
                table: "customers",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<List<string>>(
                name: "tags",
                table: "customers",
                type: "text[]",
                nullable: false);

            migrationBuilder.AddColumn<string>(
                name: "tier",
                table: "customers",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<decimal>(
                name: "wealth_balance",
                table: "customers",
                type: "numeric(18,2)",
                precision: 18,
                scale: 2,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.CreateTable(
                name: "daily_balances",
                columns: table => new
                {
                    customer_id = table.Column<Guid>(type: "uuid", nullable: false),
                    date = table.Column<DateOnly>(type: "date", nullable: false),
                    deposit = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: false),
                    wealth = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_daily_balances", x => new { x.customer_id, x.date });
                });

            migrationBuilder.CreateTable(
                name: "holdings",
                columns: table => new
                {
                    account_number = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    customer_id = table.Column<Guid>(type: "uuid", nullable: false),
                    product_code = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    opened_on = table.Column<DateOnly>(type: "date", nullable: false),
                    matures_on = table.Column<DateOnly>(type: "date", nullable: true),
                    balance = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_holdings", x => x.account_number);
                });

            migrationBuilder.CreateIndex(
                name: "ix_customers_branch_code_tier",
                table: "customers",
                columns: new[] { "branch_code", "tier" });

            migrationBuilder.CreateIndex(
                name: "ix_customers_customer_number",
                table: "customers",
                column: "customer_number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_daily_balances_date",
                table: "daily_balances",
                column: "date");

            migrationBuilder.CreateIndex(
                name: "ix_holdings_customer_id",
                table: "holdings",
                column: "customer_id");

            migrationBuilder.CreateIndex(
                name: "ix_holdings_matures_on",
                table: "holdings",
                column: "matures_on");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "daily_balances");

            migrationBuilder.DropTable(
                name: "holdings");

            migrationBuilder.DropIndex(
                name: "ix_customers_branch_code_tier",
                table: "customers");

            migrationBuilder.DropIndex(
                name: "ix_customers_customer_number",
                table: "customers");

            migrationBuilder.DropColumn(
                name: "average_assets",
                table: "customers");

            migrationBuilder.DropColumn(
                name: "balance_date",
                table: "customers");

            migrationBuilder.DropColumn(
                name: "birth_date",
                table: "customers");

            migrationBuilder.DropColumn(
                name: "city",
                table: "customers");

            migrationBuilder.DropColumn(
                name: "customer_number",
                table: "customers");

            migrationBuilder.DropColumn(
                name: "deposit_balance",
                table: "customers");

            migrationBuilder.DropColumn(
                name: "district",
                table: "customers");

            migrationBuilder.DropColumn(
                name: "gender",
                table: "customers");

            migrationBuilder.DropColumn(
                name: "id_number",
                table: "customers");

            migrationBuilder.DropColumn(
                name: "id_type",
                table: "customers");

            migrationBuilder.DropColumn(
                name: "occupation",
                table: "customers");

            migrationBuilder.DropColumn(
                name: "risk_assessed_on",
                table: "customers");

            migrationBuilder.DropColumn(
                name: "risk_level",
                table: "customers");

            migrationBuilder.DropColumn(
                name: "tags",
                table: "customers");

            migrationBuilder.DropColumn(
                name: "tier",
                table: "customers");

            migrationBuilder.DropColumn(
                name: "wealth_balance",
                table: "customers");
        }
    }
}
