using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BankClientele.Acquisition.Campaigns;

internal sealed class CampaignConfiguration : IEntityTypeConfiguration<Campaign>
{
    public void Configure(EntityTypeBuilder<Campaign> e)
    {
        e.Property(c => c.Code).HasMaxLength(40);
        e.Property(c => c.Name).HasMaxLength(200);
        e.Property(c => c.Kind).HasMaxLength(20);
        e.Property(c => c.BranchCode).HasMaxLength(20);
        e.Property(c => c.Status).HasConversion<string>().HasMaxLength(20);
        e.Property(c => c.Budget).HasPrecision(18, 2);
        e.Property(c => c.Staff).HasMaxLength(400);
        e.Property(c => c.Segment).HasMaxLength(400);
        e.Property(c => c.Channel).HasMaxLength(30);
        e.Property(c => c.Script).HasMaxLength(2000);
        e.Property(c => c.Place).HasMaxLength(200);
        e.Property(c => c.PartnerCode).HasMaxLength(40);
        e.Property(c => c.CostTerms).HasMaxLength(400);
        e.Property(c => c.CreatedBy).HasMaxLength(40);
        e.Property(c => c.ApprovedBy).HasMaxLength(40);
        e.Property(c => c.SubmittedBy).HasMaxLength(40);
        e.Property<uint>("xmin").IsRowVersion();
        e.HasIndex(c => c.Code).IsUnique();
        e.HasIndex(c => c.BranchCode);
    }
}

internal sealed class CampaignCostConfiguration : IEntityTypeConfiguration<CampaignCost>
{
    public void Configure(EntityTypeBuilder<CampaignCost> e)
    {
        e.Property(c => c.CampaignCode).HasMaxLength(40);
        e.Property(c => c.Amount).HasPrecision(18, 2);
        e.Property(c => c.Category).HasMaxLength(40);
        e.Property(c => c.Channel).HasMaxLength(30).HasDefaultValue("staff");
        e.Property(c => c.RecordedBy).HasMaxLength(40);
        e.HasIndex(c => c.CampaignCode);
    }
}

internal sealed class CampaignAudienceMemberConfiguration : IEntityTypeConfiguration<CampaignAudienceMember>
{
    public void Configure(EntityTypeBuilder<CampaignAudienceMember> e)
    {
        e.ToTable("campaign_audience");
        e.HasKey(m => new { m.CampaignCode, m.CustomerId });
        e.Property(m => m.CampaignCode).HasMaxLength(40);
        e.Property(m => m.BranchCode).HasMaxLength(20);
    }
}
