using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BankClientele.FootTraffic.Migrations
{
    /// <inheritdoc />
    public partial class DropVisitCustomerIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_branch_visits_customer_id",
                table: "branch_visits");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_branch_visits_customer_id",
                table: "branch_visits",
                column: "customer_id",
                filter: "customer_id IS NOT NULL");
        }
    }
}
