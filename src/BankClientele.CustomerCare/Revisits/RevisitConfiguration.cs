using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BankClientele.CustomerCare.Revisits;

internal sealed class RevisitConfiguration : IEntityTypeConfiguration<Revisit>
{
    public void Configure(EntityTypeBuilder<Revisit> e)
    {
        e.Property(r => r.BranchCode).HasMaxLength(20);
        e.Property(r => r.RelationshipManagerId).HasMaxLength(40);
        e.Property(r => r.Reason).HasMaxLength(20);
        e.Property(r => r.Detail).HasMaxLength(200);
        e.Property(r => r.Status).HasMaxLength(12);
        e.Property(r => r.CompletedBy).HasMaxLength(40);
        e.Property(r => r.Channel).HasMaxLength(20);
        e.Property(r => r.Outcome).HasMaxLength(100);
        e.Property(r => r.Notes).HasMaxLength(2000);
        // The guarantee against duplicates, whoever inserts and however many instances run.
        e.HasIndex(r => new { r.CustomerId, r.Reason }).IsUnique().HasFilter("status = 'Open'")
            .HasDatabaseName("ux_revisits_one_open_per_customer_and_reason");
        e.HasIndex(r => new { r.RelationshipManagerId, r.Status, r.DueOn });
        e.HasIndex(r => new { r.BranchCode, r.Status, r.DueOn });
        // A customer's closed revisits (visit history, the last visit). Partial: the nightly pass inserts
        // hundreds of thousands of open revisits and every index is paid on each insert; a customer's open
        // ones are found by the one-open index above (RevisitEndpoints reads the two halves so).
        e.HasIndex(r => new { r.CustomerId, r.CompletedAt }).HasFilter("status <> 'Open'")
            .HasDatabaseName("ix_revisits_closed_customer_id_completed_at");
        // No index on the open revisits' due date: escalation reads them once a night (a scan of the open
        // ones, about 0.15 s of CPU a step at 1,000,000 customers), while such an index would be paid on
        // each of the pass's inserts.
    }
}

internal sealed class LobbyAlertConfiguration : IEntityTypeConfiguration<LobbyAlert>
{
    public void Configure(EntityTypeBuilder<LobbyAlert> e)
    {
        e.HasKey(a => a.VisitId);
        e.Property(a => a.BranchCode).HasMaxLength(20);
        e.Property(a => a.RelationshipManagerId).HasMaxLength(40);
        e.Property(a => a.Tier).HasMaxLength(20);
        e.Property(a => a.ServiceType).HasMaxLength(60);
        e.HasIndex(a => new { a.RelationshipManagerId, a.ArrivedAt });
    }
}

internal sealed class RevisitReminderConfiguration : IEntityTypeConfiguration<RevisitReminder>
{
    public void Configure(EntityTypeBuilder<RevisitReminder> e)
    {
        e.Property(r => r.BranchCode).HasMaxLength(20);
        e.Property(r => r.Kind).HasMaxLength(20);
        e.Property(r => r.Recipient).HasMaxLength(40);
        e.Property(r => r.Message).HasMaxLength(500);
        // One reminder of each kind per revisit, however often the escalation runs.
        e.HasIndex(r => new { r.RevisitId, r.Kind }).IsUnique();
        e.HasIndex(r => r.SentAt).HasFilter("sent_at IS NULL").HasDatabaseName("ix_revisit_reminders_unsent");
    }
}
