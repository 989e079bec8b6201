using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BankClientele.Acquisition.Partners;

internal sealed class PartnerConfiguration : IEntityTypeConfiguration<Partner>
{
    public void Configure(EntityTypeBuilder<Partner> e)
    {
        e.HasKey(p => p.Code);
        e.Property(p => p.Code).HasMaxLength(40);
        e.Property(p => p.Name).HasMaxLength(200);
        e.Property(p => p.BranchCode).HasMaxLength(20);
        e.Property(p => p.ReferralCode).HasMaxLength(40);
        e.Property(p => p.FeePerConversion).HasPrecision(18, 2);
        e.HasIndex(p => p.ReferralCode).IsUnique();
    }
}
