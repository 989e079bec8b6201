using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BankClientele.Insights.Migrations
{
    /// <inheritdoc />
    public partial class UpliftStoreAssignmentVersions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "assignment_version",
                table: "customer_attributes",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "assignment_version",
                table: "customer_attributes");
        }
    }
}
