using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BankClientele.Acquisition.Migrations
{
    /// <inheritdoc />
    public partial class AcquisitionFunnel : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.RenameColumn(
                name: "status",
                table: "prospects",
                newName: "stage");

            // Prospects of the foundation were Open or Converted: the funnel's stages say New and AccountOpened.
            migrationBuilder.Sql("UPDATE prospects SET stage = CASE stage WHEN 'Converted' THEN 'AccountOpened' ELSE 'New' END");

            migrationBuilder.AddColumn<decimal>(
                name: "acquisition_cost",
                table: "prospects",
                type: "numeric(18,2)",
                precision: 18,
                scale: 2,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "activated_at",
                table: "prospects",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "age_band",
                table: "prospects",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "appointment_at",
                table: "prospects",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "channel",
                table: "prospects",
                type: "character varying(30)",
                maxLength: 30,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "city",
                table: "prospects",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "community",
                table: "prospects",
                type: "character varying(60)",
                maxLength: 60,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "contacted_at",
                table: "prospects",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "credited_branch_code",
                table: "prospects",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "credited_staff_id",
                table: "prospects",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "customer_number",
                table: "prospects",
                type: "character varying(30)",
                maxLength: 30,
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "deposit_after30days",
                table: "prospects",
                type: "numeric(18,2)",
                precision: 18,
                scale: 2,
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "deposit_after90days",
                table: "prospects",
                type: "numeric(18,2)",
                precision: 18,
                scale: 2,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "district",
                table: "prospects",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "financial_data_consent",
                table: "prospects",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "id_number",
                table: "prospects",
                type: "character varying(30)",
                maxLength: 30,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "id_number_hash",
                table: "prospects",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "income_band",
                table: "prospects",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "interested_at",
                table: "prospects",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "marketing_consent",
                table: "prospects",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "next_action",
                table: "prospects",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "next_action_on",
                table: "prospects",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "occupation",
                table: "prospects",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "phone_hash",
                table: "prospects",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "referral_code",
                table: "prospects",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "tags",
                table: "prospects",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "campaign_audience",
                columns: table => new
                {
                    campaign_code = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    customer_id = table.Column<Guid>(type: "uuid", nullable: false),
                    branch_code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    is_control = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_campaign_audience", x => new { x.campaign_code, x.customer_id });
                });

            migrationBuilder.CreateTable(
                name: "campaign_costs",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    campaign_code = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    amount = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: false),
                    category = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    incurred_on = table.Column<DateOnly>(type: "date", nullable: false),
                    recorded_by = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_campaign_costs", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "campaigns",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    code = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    branch_code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    budget = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: false),
                    starts_on = table.Column<DateOnly>(type: "date", nullable: false),
                    ends_on = table.Column<DateOnly>(type: "date", nullable: true),
                    staff = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    segment = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    channel = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: true),
                    script = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    holdout_fraction = table.Column<double>(type: "double precision", nullable: false),
                    place = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    capacity = table.Column<int>(type: "integer", nullable: true),
                    expected_attendance = table.Column<int>(type: "integer", nullable: true),
                    actual_attendance = table.Column<int>(type: "integer", nullable: true),
                    partner_code = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    cost_terms = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_by = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    approved_by = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    approved_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    launched_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    closed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_campaigns", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "conversion_credits",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    prospect_id = table.Column<Guid>(type: "uuid", nullable: false),
                    customer_id = table.Column<Guid>(type: "uuid", nullable: false),
                    source = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    credited_branch_code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    credited_staff_id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    campaign_code = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    acquisition_cost = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: false),
                    rule = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    decided_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_conversion_credits", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "do_not_contact",
                columns: table => new
                {
                    phone_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    added_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    added_by = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_do_not_contact", x => x.phone_hash);
                });

            migrationBuilder.CreateTable(
                name: "existing_customers",
                columns: table => new
                {
                    customer_id = table.Column<Guid>(type: "uuid", nullable: false),
                    customer_number = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    branch_code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    phone_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    id_number_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    tier = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    expected_lifetime_value = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_existing_customers", x => x.customer_id);
                });

            migrationBuilder.CreateTable(
                name: "partners",
                columns: table => new
                {
                    code = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    branch_code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    referral_code = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    fee_per_conversion = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_partners", x => x.code);
                });

            migrationBuilder.CreateTable(
                name: "prospect_consents",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    prospect_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    given = table.Column<bool>(type: "boolean", nullable: false),
                    channel = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    wording = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    recorded_by = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_prospect_consents", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "prospect_touches",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    prospect_id = table.Column<Guid>(type: "uuid", nullable: false),
                    channel = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    campaign_code = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    branch_code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    staff_id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    outcome = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: true),
                    note = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_prospect_touches", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_prospects_campaign_code",
                table: "prospects",
                column: "campaign_code");

            migrationBuilder.CreateIndex(
                name: "ix_prospects_customer_id",
                table: "prospects",
                column: "customer_id",
                unique: true,
                filter: "customer_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_prospects_id_number_hash",
                table: "prospects",
                column: "id_number_hash");

            migrationBuilder.CreateIndex(
                name: "ix_prospects_phone_hash",
                table: "prospects",
                column: "phone_hash");

            migrationBuilder.CreateIndex(
                name: "ix_campaign_costs_campaign_code",
                table: "campaign_costs",
                column: "campaign_code");

            migrationBuilder.CreateIndex(
                name: "ix_campaigns_branch_code",
                table: "campaigns",
                column: "branch_code");

            migrationBuilder.CreateIndex(
                name: "ix_campaigns_code",
                table: "campaigns",
                column: "code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_conversion_credits_prospect_id",
                table: "conversion_credits",
                column: "prospect_id");

            migrationBuilder.CreateIndex(
                name: "ix_existing_customers_branch_code",
                table: "existing_customers",
                column: "branch_code");

            migrationBuilder.CreateIndex(
                name: "ix_existing_customers_customer_number",
                table: "existing_customers",
                column: "customer_number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_existing_customers_id_number_hash",
                table: "existing_customers",
                column: "id_number_hash");

            migrationBuilder.CreateIndex(
                name: "ix_existing_customers_phone_hash",
                table: "existing_customers",
                column: "phone_hash");

            migrationBuilder.CreateIndex(
                name: "ix_partners_referral_code",
                table: "partners",
                column: "referral_code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_prospect_consents_prospect_id_at",
                table: "prospect_consents",
                columns: new[] { "prospect_id", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_prospect_touches_prospect_id_at",
                table: "prospect_touches",
                columns: new[] { "prospect_id", "at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "campaign_audience");

            migrationBuilder.DropTable(
                name: "campaign_costs");

            migrationBuilder.DropTable(
                name: "campaigns");

            migrationBuilder.DropTable(
                name: "conversion_credits");

            migrationBuilder.DropTable(
                name: "do_not_contact");

            migrationBuilder.DropTable(
                name: "existing_customers");

            migrationBuilder.DropTable(
                name: "partners");

            migrationBuilder.DropTable(
                name: "prospect_consents");

            migrationBuilder.DropTable(
                name: "prospect_touches");

            migrationBuilder.DropIndex(
                name: "ix_prospects_campaign_code",
                table: "prospects");

            migrationBuilder.DropIndex(
                name: "ix_prospects_customer_id",
                table: "prospects");

            migrationBuilder.DropIndex(
                name: "ix_prospects_id_number_hash",
                table: "prospects");

            migrationBuilder.DropIndex(
                name: "ix_prospects_phone_hash",
                table: "prospects");

            migrationBuilder.DropColumn(
                name: "acquisition_cost",
                table: "prospects");

            migrationBuilder.DropColumn(
                name: "activated_at",
                table: "prospects");

            migrationBuilder.DropColumn(
                name: "age_band",
                table: "prospects");

            migrationBuilder.DropColumn(
                name: "appointment_at",
                table: "prospects");

            migrationBuilder.DropColumn(
                name: "channel",
                table: "prospects");

            migrationBuilder.DropColumn(
                name: "city",
                table: "prospects");

            migrationBuilder.DropColumn(
                name: "community",
                table: "prospects");

            migrationBuilder.DropColumn(
                name: "contacted_at",
                table: "prospects");

            migrationBuilder.DropColumn(
                name: "credited_branch_code",
                table: "prospects");

            migrationBuilder.DropColumn(
                name: "credited_staff_id",
                table: "prospects");

            migrationBuilder.DropColumn(
                name: "customer_number",
                table: "prospects");

            migrationBuilder.DropColumn(
                name: "deposit_after30days",
                table: "prospects");

            migrationBuilder.DropColumn(
                name: "deposit_after90days",
                table: "prospects");

            migrationBuilder.DropColumn(
                name: "district",
                table: "prospects");

            migrationBuilder.DropColumn(
                name: "financial_data_consent",
                table: "prospects");

            migrationBuilder.DropColumn(
                name: "id_number",
                table: "prospects");

            migrationBuilder.DropColumn(
                name: "id_number_hash",
                table: "prospects");

            migrationBuilder.DropColumn(
                name: "income_band",
                table: "prospects");

            migrationBuilder.DropColumn(
                name: "interested_at",
                table: "prospects");

            migrationBuilder.DropColumn(
                name: "marketing_consent",
                table: "prospects");

            migrationBuilder.DropColumn(
                name: "next_action",
                table: "prospects");

            migrationBuilder.DropColumn(
                name: "next_action_on",
                table: "prospects");

            migrationBuilder.DropColumn(
                name: "occupation",
                table: "prospects");

            migrationBuilder.DropColumn(
                name: "phone_hash",
                table: "prospects");

            migrationBuilder.DropColumn(
                name: "referral_code",
                table: "prospects");

            migrationBuilder.DropColumn(
                name: "tags",
                table: "prospects");

            migrationBuilder.RenameColumn(
                name: "stage",
                table: "prospects",
                newName: "status");
        }
    }
}
