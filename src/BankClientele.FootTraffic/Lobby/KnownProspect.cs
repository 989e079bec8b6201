using BankClientele.Contracts.Acquisition;
using BankClientele.Hosting.Auth;
using BankClientele.Hosting.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BankClientele.FootTraffic.Lobby;

/// <summary>
/// A prospect's branch, learnt from Acquisition's <see cref="ProspectsRecorded"/>: ids and branch codes only,
/// so a lobby event invites no prospect of another branch.
/// </summary>
public sealed class KnownProspect : IBranchOwned
{
    public Guid ProspectId { get; init; }
    public required string BranchCode { get; init; }
    public DateTimeOffset RecordedAt { get; init; }
}

public sealed class KnownProspectConfiguration : IEntityTypeConfiguration<KnownProspect>
{
    public void Configure(EntityTypeBuilder<KnownProspect> e)
    {
        e.ToTable("known_prospects");
        e.HasKey(p => p.ProspectId);
        e.Property(p => p.BranchCode).HasMaxLength(20);
    }
}

/// <summary>New prospects of a branch (one, or a list import's chunk of thousands): one insert with the inbox entry; a prospect's branch never changes.</summary>
public sealed class ProspectsRecordedConsumer(FootTrafficDbContext db) : InboxConsumer<ProspectsRecorded, FootTrafficDbContext>(db)
{
    protected override IReadOnlyList<FormattableString> Statements(ProspectsRecorded message) =>
    [
        $"""
        INSERT INTO known_prospects (prospect_id, branch_code, recorded_at)
        SELECT DISTINCT id, {message.BranchCode}, {message.RecordedAt.ToUniversalTime()}
        FROM unnest({message.ProspectIds.ToArray()}::uuid[]) AS p(id)
        ON CONFLICT (prospect_id) DO NOTHING
        """,
    ];
}
