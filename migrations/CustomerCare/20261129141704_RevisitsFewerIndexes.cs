using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BankClientele.CustomerCare.Migrations
{
    /// <inheritdoc />
    public partial class RevisitsFewerIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_revisits_open_due_on",
                table: "revisits");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_revisits_open_due_on",
                table: "revisits",
                column: "due_on",
                filter: "status = 'Open'");
        }
    }
}
