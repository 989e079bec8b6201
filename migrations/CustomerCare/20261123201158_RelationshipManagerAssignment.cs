using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BankClientele.CustomerCare.Migrations
{
    /// <inheritdoc />
    public partial class RelationshipManagerAssignment : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "senior",
                table: "relationship_managers",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "status",
                table: "relationship_managers",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "Active");

            migrationBuilder.CreateTable(
                name: "assignment_changes",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    customer_id = table.Column<Guid>(type: "uuid", nullable: false),
                    branch_code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    from_manager_id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    to_manager_id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    reason = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    note = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    changed_by = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    changed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_assignment_changes", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_assignment_changes_branch_code_changed_at",
                table: "assignment_changes",
                columns: new[] { "branch_code", "changed_at" });

            migrationBuilder.CreateIndex(
                name: "ix_assignment_changes_customer_id_changed_at",
                table: "assignment_changes",
                columns: new[] { "customer_id", "changed_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "assignment_changes");

            migrationBuilder.DropColumn(
                name: "senior",
                table: "relationship_managers");

            migrationBuilder.DropColumn(
                name: "status",
                table: "relationship_managers");
        }
    }
}
