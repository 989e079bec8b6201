using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BankClientele.FootTraffic.Migrations
{
    /// <inheritdoc />
    public partial class KnownProspects : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "known_prospects",
                columns: table => new
                {
                    prospect_id = table.Column<Guid>(type: "uuid", nullable: false),
                    branch_code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_known_prospects", x => x.prospect_id);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "known_prospects");
        }
    }
}
