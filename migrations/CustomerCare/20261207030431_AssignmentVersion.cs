using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BankClientele.CustomerCare.Migrations
{
    /// <inheritdoc />
    public partial class AssignmentVersion : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "assignment_version",
                table: "customers",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "assignment_version",
                table: "customers");
        }
    }
}
