using BankClientele.Hosting.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BankClientele.FootTraffic.Lobby;

/// <summary>
/// A prospect's conversion as Acquisition announced it, kept so that its credit (walk-in, lobby event)
/// can be worked out again whenever a fact it depends on arrives later: a walk-in entered from a paper
/// sheet, a late attendance record. The walk-in and event it is credited to are the current answer.
/// </summary>
public sealed class ProspectConversion : IBranchOwned
{
    public Guid ProspectId { get; init; }
    public Guid CustomerId { get; init; }
    public required string BranchCode { get; init; }
    public string? PhoneHash { get; init; }
    public DateTimeOffset ConvertedAt { get; init; }
    public decimal InitialDeposit { get; init; }
    public Guid? WalkInId { get; set; }
    public Guid? LobbyEventId { get; set; }
}

public sealed class ProspectConversionConfiguration : IEntityTypeConfiguration<ProspectConversion>
{
    public void Configure(EntityTypeBuilder<ProspectConversion> e)
    {
        e.ToTable("prospect_conversions");
        e.HasKey(x => x.ProspectId);
        e.Property(x => x.BranchCode).HasMaxLength(20);
        e.Property(x => x.PhoneHash).HasMaxLength(64);
        e.Property(x => x.InitialDeposit).HasPrecision(16, 2);
        e.HasIndex(x => x.PhoneHash).HasFilter("phone_hash IS NOT NULL");
    }
}
