using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BankClientele.CustomerCare.Bundles;

internal sealed class ProductConfiguration : IEntityTypeConfiguration<Product>
{
    public void Configure(EntityTypeBuilder<Product> e)
    {
        e.HasKey(p => p.Code);
        e.Property(p => p.Code).HasMaxLength(40);
        e.Property(p => p.Name).HasMaxLength(100);
        e.Property(p => p.Kind).HasConversion<string>().HasMaxLength(30);
        e.Property(p => p.MinimumAmount).HasPrecision(18, 2);
    }
}

internal sealed class BundleEntityConfiguration : IEntityTypeConfiguration<Bundle>
{
    public void Configure(EntityTypeBuilder<Bundle> e)
    {
        e.HasKey(b => b.Code);
        e.Property(b => b.Code).HasMaxLength(40);
        e.Property(b => b.Name).HasMaxLength(100);
        e.Property(b => b.DepositProductCode).HasMaxLength(40);
    }
}

internal sealed class OfferConfiguration : IEntityTypeConfiguration<Offer>
{
    public void Configure(EntityTypeBuilder<Offer> e)
    {
        e.Property(o => o.BranchCode).HasMaxLength(20);
        e.Property(o => o.RelationshipManagerId).HasMaxLength(40);
        e.Property(o => o.BundleCode).HasMaxLength(40);
        e.Property(o => o.ProposedBy).HasMaxLength(40);
        e.Property(o => o.CampaignCode).HasMaxLength(40);
        e.Property(o => o.Amount).HasPrecision(18, 2);
        e.Property(o => o.Status).HasConversion<string>().HasMaxLength(20);
        e.HasIndex(o => new { o.CustomerId, o.Status });
        e.HasIndex(o => new { o.Status, o.ExpiresOn });
        e.HasIndex(o => new { o.BranchCode, o.BundleCode });
    }
}
