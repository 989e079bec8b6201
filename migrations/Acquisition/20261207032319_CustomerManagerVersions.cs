using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BankClientele.Acquisition.Migrations
{
    /// <inheritdoc />
    public partial class CustomerManagerVersions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "relationship_manager_id",
                table: "customer_managers",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(40)",
                oldMaxLength: 40);

            migrationBuilder.AddColumn<long>(
                name: "version",
                table: "customer_managers",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "version",
                table: "customer_managers");

            migrationBuilder.AlterColumn<string>(
                name: "relationship_manager_id",
                table: "customer_managers",
                type: "character varying(40)",
                maxLength: 40,
                nullable: false,
                defaultValue: "",
                oldClrType: typeof(string),
                oldType: "character varying(40)",
                oldMaxLength: 40,
                oldNullable: true);
        }
    }
}
