using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BankClientele.CustomerCare.Migrations
{
    /// <inheritdoc />
    public partial class CustomerSegments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<decimal>(
                name: "expected_lifetime_value",
                table: "customers",
                type: "numeric(18,2)",
                precision: 18,
                scale: 2,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "lifecycle_stage",
                table: "customers",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "probability_alive",
                table: "customers",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "rfm",
                table: "customers",
                type: "character varying(3)",
                maxLength: 3,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "segment_computed_at",
                table: "customers",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "value_segment",
                table: "customers",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "expected_lifetime_value",
                table: "customers");

            migrationBuilder.DropColumn(
                name: "lifecycle_stage",
                table: "customers");

            migrationBuilder.DropColumn(
                name: "probability_alive",
                table: "customers");

            migrationBuilder.DropColumn(
                name: "rfm",
                table: "customers");

            migrationBuilder.DropColumn(
                name: "segment_computed_at",
                table: "customers");

            migrationBuilder.DropColumn(
                name: "value_segment",
                table: "customers");
        }
    }
}
