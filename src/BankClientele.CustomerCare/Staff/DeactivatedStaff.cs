using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BankClientele.CustomerCare.Staff;

/// <summary>
/// A member of staff the portal deactivated: their calendar link answers 410 and no new one is
/// made. The portal tells CustomerCare with an authenticated call (it has no outbox of its own).
/// </summary>
public sealed class DeactivatedStaff
{
    public required string StaffId { get; init; }
    public DateTimeOffset DeactivatedAt { get; init; }

    /// <summary>Staff id of the administrator or head office who deactivated them.</summary>
    public required string DeactivatedBy { get; init; }
}

internal sealed class DeactivatedStaffConfiguration : IEntityTypeConfiguration<DeactivatedStaff>
{
    public void Configure(EntityTypeBuilder<DeactivatedStaff> e)
    {
        e.ToTable("deactivated_staff");
        e.HasKey(s => s.StaffId);
        e.Property(s => s.StaffId).HasMaxLength(40);
        e.Property(s => s.DeactivatedBy).HasMaxLength(40);
    }
}
