using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BankClientele.FootTraffic.Visits;

public sealed class BranchVisitConfiguration : IEntityTypeConfiguration<BranchVisit>
{
    public void Configure(EntityTypeBuilder<BranchVisit> e)
    {
        e.ToTable("branch_visits");
        e.Property(v => v.BranchCode).HasMaxLength(20);
        e.Property(v => v.TicketNumber).HasMaxLength(20);
        e.Property(v => v.ServiceType).HasMaxLength(40);
        e.Property(v => v.CounterNumber).HasMaxLength(10);
        e.Property(v => v.Source).HasMaxLength(10);
        e.HasIndex(v => new { v.BranchCode, v.ArrivedAt });
        // No index on customer_id: nothing looks visits up by customer (the directory and Insights keep their
        // own), and a queue log of a million rows paid for it on every identified row.
        // A ticket is issued once per branch and day: the key that makes a queue log idempotent.
        e.HasIndex(v => new { v.BranchCode, v.LogDate, v.TicketNumber }).IsUnique().HasFilter("log_date IS NOT NULL")
            .HasDatabaseName(VisitLogImporter.TicketKeyIndex);
    }
}
