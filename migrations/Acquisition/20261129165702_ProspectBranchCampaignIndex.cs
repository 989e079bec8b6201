using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BankClientele.Acquisition.Migrations
{
    /// <inheritdoc />
    public partial class ProspectBranchCampaignIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_prospects_branch_code_created_at",
                table: "prospects");

            migrationBuilder.DropIndex(
                name: "ix_prospects_campaign_code",
                table: "prospects");

            migrationBuilder.CreateIndex(
                name: "ix_prospects_branch_code_campaign_code",
                table: "prospects",
                columns: new[] { "branch_code", "campaign_code" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_prospects_branch_code_campaign_code",
                table: "prospects");

            migrationBuilder.CreateIndex(
                name: "ix_prospects_branch_code_created_at",
                table: "prospects",
                columns: new[] { "branch_code", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_prospects_campaign_code",
                table: "prospects",
                column: "campaign_code");
        }
    }
}
