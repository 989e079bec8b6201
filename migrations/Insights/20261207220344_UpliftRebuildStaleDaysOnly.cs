using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BankClientele.Insights.Migrations
{
    /// <inheritdoc />
    public partial class UpliftRebuildStaleDaysOnly : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "marked_xid",
                table: "uplift_stale_branches",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "grouped_xmin",
                table: "branch_daily_deposits",
                type: "bigint",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "marked_xid",
                table: "uplift_stale_branches");

            migrationBuilder.DropColumn(
                name: "grouped_xmin",
                table: "branch_daily_deposits");
        }
    }
}
