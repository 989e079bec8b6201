using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BankClientele.Acquisition.Prospects;

internal sealed class ProspectConfiguration : IEntityTypeConfiguration<Prospect>
{
    public void Configure(EntityTypeBuilder<Prospect> e)
    {
        e.Property(p => p.FullName).HasMaxLength(100);
        e.Property(p => p.Phone).HasMaxLength(30);
        e.Property(p => p.IdNumber).HasMaxLength(30);
        e.Property(p => p.PhoneHash).HasMaxLength(64);
        e.Property(p => p.IdNumberHash).HasMaxLength(64);
        e.Property(p => p.BranchCode).HasMaxLength(20);
        e.Property(p => p.CampaignCode).HasMaxLength(40);
        e.Property(p => p.Channel).HasMaxLength(30);
        e.Property(p => p.ReferralCode).HasMaxLength(40);
        e.Property(p => p.City).HasMaxLength(40);
        e.Property(p => p.District).HasMaxLength(40);
        e.Property(p => p.Community).HasMaxLength(60);
        e.Property(p => p.AgeBand).HasMaxLength(20);
        e.Property(p => p.Occupation).HasMaxLength(40);
        e.Property(p => p.IncomeBand).HasMaxLength(20);
        e.Property(p => p.Tags).HasMaxLength(200);
        e.Property(p => p.NextAction).HasMaxLength(200);
        e.Property(p => p.CreatedBy).HasMaxLength(40);
        e.Property(p => p.CustomerNumber).HasMaxLength(30);
        e.Property(p => p.AccountNumber).HasMaxLength(40);
        e.Property(p => p.CreditedBranchCode).HasMaxLength(20);
        e.Property(p => p.CreditedStaffId).HasMaxLength(40);
        e.Property(p => p.InitialDeposit).HasPrecision(18, 2);
        e.Property(p => p.AcquisitionCost).HasPrecision(18, 2);
        e.Property(p => p.DepositAfter30Days).HasPrecision(18, 2);
        e.Property(p => p.DepositAfter90Days).HasPrecision(18, 2);
        e.Property(p => p.Stage).HasConversion<string>().HasMaxLength(20);
        e.Property<uint>("xmin").IsRowVersion();
        e.Ignore(p => p.IsConverted);
        // One index for the branch's leads (data scope, lists, segments) and a campaign's leads in a
        // branch: every index on prospects is paid on each imported lead. The count of a campaign's
        // leads across branches is read from lead_stage_counts.
        e.HasIndex(p => new { p.BranchCode, p.CampaignCode });
        // Hash indexes: matching only ever asks for equality, and a 64-digit key's btree outgrows the
        // cache on a million prospects (every import insert then a random page read).
        e.HasIndex(p => p.PhoneHash).HasMethod("hash");
        e.HasIndex(p => p.IdNumberHash).HasMethod("hash");
        // One customer, one conversion: the feed and a hand conversion converge on this.
        e.HasIndex(p => p.CustomerId).IsUnique().HasFilter("customer_id IS NOT NULL");
    }
}

internal sealed class ProspectTouchConfiguration : IEntityTypeConfiguration<ProspectTouch>
{
    public void Configure(EntityTypeBuilder<ProspectTouch> e)
    {
        e.Property(t => t.Channel).HasMaxLength(30);
        e.Property(t => t.CampaignCode).HasMaxLength(40);
        e.Property(t => t.BranchCode).HasMaxLength(20);
        e.Property(t => t.StaffId).HasMaxLength(40);
        e.Property(t => t.Outcome).HasMaxLength(30);
        e.Property(t => t.Note).HasMaxLength(500);
        e.HasIndex(t => new { t.ProspectId, t.At });
    }
}

internal sealed class ProspectConsentConfiguration : IEntityTypeConfiguration<ProspectConsent>
{
    public void Configure(EntityTypeBuilder<ProspectConsent> e)
    {
        e.Property(c => c.Kind).HasMaxLength(20);
        e.Property(c => c.Channel).HasMaxLength(30);
        e.Property(c => c.Wording).HasMaxLength(1000);
        e.Property(c => c.RecordedBy).HasMaxLength(40);
        e.HasIndex(c => new { c.ProspectId, c.At });
    }
}

internal sealed class DoNotContactConfiguration : IEntityTypeConfiguration<DoNotContactEntry>
{
    public void Configure(EntityTypeBuilder<DoNotContactEntry> e)
    {
        e.ToTable("do_not_contact");
        e.HasKey(d => d.PhoneHash);
        e.Property(d => d.PhoneHash).HasMaxLength(64);
        e.Property(d => d.AddedBy).HasMaxLength(40);
    }
}
