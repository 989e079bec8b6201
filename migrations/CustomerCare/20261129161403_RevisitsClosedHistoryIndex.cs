using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BankClientele.CustomerCare.Migrations
{
    /// <inheritdoc />
    public partial class RevisitsClosedHistoryIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_revisits_customer_id_completed_at",
                table: "revisits");

            migrationBuilder.CreateIndex(
                name: "ix_revisits_closed_customer_id_completed_at",
                table: "revisits",
                columns: new[] { "customer_id", "completed_at" },
                filter: "status <> 'Open'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_revisits_closed_customer_id_completed_at",
                table: "revisits");

            migrationBuilder.CreateIndex(
                name: "ix_revisits_customer_id_completed_at",
                table: "revisits",
                columns: new[] { "customer_id", "completed_at" });
        }
    }
}
