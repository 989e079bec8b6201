using BankClientele.Hosting.Messaging;
using BankClientele.Hosting.Privacy;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Hosting.Database;

/// <summary>
/// Base of every service's DbContext: it carries the service's outbox and inbox tables, so that an
/// event is stored in the same transaction as the business change that caused it.
/// </summary>
public abstract class ServiceDbContext(DbContextOptions options) : DbContext(options)
{
    /// <summary>Postgres channel the outbox relay listens on; NOTIFY is delivered only on commit.</summary>
    public const string OutboxChannel = "bankclientele_outbox";

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    public DbSet<InboxMessage> InboxMessages => Set<InboxMessage>();

    /// <summary>The audit trail of unmasked personal data shown to staff.</summary>
    public DbSet<PersonalDataView> PersonalDataViews => Set<PersonalDataView>();

    /// <summary>The audit trail of messages moved from _error queues back for another try.</summary>
    public DbSet<ErrorQueueRetry> ErrorQueueRetries => Set<ErrorQueueRetry>();

    /// <summary>Queues an event for publication once the current unit of work commits.</summary>
    public void Publish<TMessage>(TMessage message) where TMessage : class =>
        OutboxMessages.Add(OutboxMessage.Create(message));

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var queuedEvents = ChangeTracker.Entries<OutboxMessage>().Any(e => e.State == EntityState.Added);
        var written = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        if (queuedEvents)
        {
            // Inside a transaction Postgres holds the notification until commit and drops it on
            // rollback, so the relay wakes exactly when there is something committed to send.
            await Database.ExecuteSqlRawAsync($"NOTIFY {OutboxChannel}", cancellationToken);
        }
        return written;
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<OutboxMessage>(e =>
        {
            e.ToTable("outbox_messages");
            e.HasKey(m => m.Id);
            e.Property(m => m.MessageType).HasMaxLength(300);
            // json, not jsonb: the body is only ever stored and sent as written, and a feed writes hundreds of megabytes of it;
            // jsonb would parse every body into its binary form on the way in and print it again on the way out.
            e.Property(m => m.Body).HasColumnType("json");
            // The relay only ever scans what is still to send.
            e.HasIndex(m => m.Id).HasFilter("sent_at IS NULL").HasDatabaseName("ix_outbox_messages_unsent");
        });
        modelBuilder.Entity<PersonalDataView>(e =>
        {
            e.ToTable("personal_data_views");
            e.Property(v => v.StaffId).HasMaxLength(40);
            e.Property(v => v.Role).HasMaxLength(40);
            e.Property(v => v.SubjectType).HasMaxLength(40);
            e.Property(v => v.Fields).HasMaxLength(200);
            e.Property(v => v.Reason).HasMaxLength(200);
            e.HasIndex(v => new { v.SubjectType, v.SubjectId });
            e.HasIndex(v => v.ViewedAt);
        });
        modelBuilder.Entity<ErrorQueueRetry>(e =>
        {
            e.ToTable("error_queue_retries");
            e.Property(r => r.StaffId).HasMaxLength(40);
            e.Property(r => r.Role).HasMaxLength(40);
            e.Property(r => r.Queue).HasMaxLength(200);
            e.HasIndex(r => r.RetriedAt);
        });
        modelBuilder.Entity<InboxMessage>(e =>
        {
            e.ToTable("inbox_messages");
            e.HasKey(m => new { m.MessageId, m.Consumer });
            e.Property(m => m.Consumer).HasMaxLength(200);
        });
    }
}
