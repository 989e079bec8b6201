using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BankClientele.Insights.Migrations
{
    /// <inheritdoc />
    public partial class UpliftPendingDaysAndFirstBalances : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "customer_first_balances",
                columns: table => new
                {
                    customer_id = table.Column<Guid>(type: "uuid", nullable: false),
                    first_day = table.Column<DateOnly>(type: "date", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_customer_first_balances", x => x.customer_id);
                });

            migrationBuilder.CreateTable(
                name: "uplift_pending_days",
                columns: table => new
                {
                    branch_code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    day = table.Column<DateOnly>(type: "date", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_uplift_pending_days", x => new { x.branch_code, x.day });
                });

            // The first balance day of every customer already stored (the consumers keep it from now on).
            migrationBuilder.Sql("""
                INSERT INTO customer_first_balances (customer_id, first_day)
                SELECT customer_id, min(day) FROM daily_balances GROUP BY customer_id
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "customer_first_balances");

            migrationBuilder.DropTable(
                name: "uplift_pending_days");
        }
    }
}
