using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BankClientele.CustomerCare.Assignment;

internal sealed class AssignmentChangeConfiguration : IEntityTypeConfiguration<AssignmentChange>
{
    public void Configure(EntityTypeBuilder<AssignmentChange> e)
    {
        e.Property(a => a.BranchCode).HasMaxLength(20);
        e.Property(a => a.FromManagerId).HasMaxLength(40);
        e.Property(a => a.ToManagerId).HasMaxLength(40);
        e.Property(a => a.Reason).HasMaxLength(30);
        e.Property(a => a.Note).HasMaxLength(200);
        e.Property(a => a.ChangedBy).HasMaxLength(40);
        e.HasIndex(a => new { a.CustomerId, a.ChangedAt });
        e.HasIndex(a => new { a.BranchCode, a.ChangedAt });
    }
}
