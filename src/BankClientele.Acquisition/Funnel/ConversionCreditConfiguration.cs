using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BankClientele.Acquisition.Funnel;

internal sealed class ConversionCreditConfiguration : IEntityTypeConfiguration<ConversionCredit>
{
    public void Configure(EntityTypeBuilder<ConversionCredit> e)
    {
        e.Property(c => c.Source).HasMaxLength(20);
        e.Property(c => c.CreditedBranchCode).HasMaxLength(20);
        e.Property(c => c.CreditedStaffId).HasMaxLength(40);
        e.Property(c => c.CampaignCode).HasMaxLength(40);
        e.Property(c => c.AcquisitionCost).HasPrecision(18, 2);
        e.Property(c => c.Rule).HasMaxLength(400);
        e.HasIndex(c => c.ProspectId);
    }
}
