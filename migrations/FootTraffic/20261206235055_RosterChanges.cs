using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BankClientele.FootTraffic.Migrations
{
    /// <inheritdoc />
    public partial class RosterChanges : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "roster_changes",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    branch_code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    changed_by = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    changed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    slots = table.Column<int>(type: "integer", nullable: false),
                    counter_hours = table.Column<int>(type: "integer", nullable: false),
                    greeter_hours = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_roster_changes", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_roster_changes_branch_code_changed_at",
                table: "roster_changes",
                columns: new[] { "branch_code", "changed_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "roster_changes");
        }
    }
}
