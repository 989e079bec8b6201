using BankClientele.CustomerCare.Assignment;
using BankClientele.CustomerCare.Managers;
using BankClientele.CustomerCare.Book;
using BankClientele.CustomerCare.Bundles;
using BankClientele.Hosting.Customers;
using BankClientele.Hosting.Database;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.CustomerCare;

public sealed class CustomerCareDbContext(DbContextOptions<CustomerCareDbContext> options) : ServiceDbContext(options)
{
    public DbSet<Customer> Customers => Set<Customer>();

    public DbSet<Holding> Holdings => Set<Holding>();

    public DbSet<DailyBalance> DailyBalances => Set<DailyBalance>();

    public DbSet<RelationshipManager> RelationshipManagers => Set<RelationshipManager>();

    public DbSet<AssignmentChange> AssignmentChanges => Set<AssignmentChange>();

    public DbSet<Product> Products => Set<Product>();

    public DbSet<Bundle> Bundles => Set<Bundle>();

    public DbSet<Offer> Offers => Set<Offer>();
    public DbSet<Revisits.Revisit> Revisits => Set<Revisits.Revisit>();

    public DbSet<Revisits.LobbyAlert> LobbyAlerts => Set<Revisits.LobbyAlert>();

    public DbSet<Revisits.RevisitReminder> RevisitReminders => Set<Revisits.RevisitReminder>();

    public DbSet<Notifications.Notification> Notifications => Set<Notifications.Notification>();

    public DbSet<Calendar.CalendarLink> CalendarLinks => Set<Calendar.CalendarLink>();

    public DbSet<Webhooks.BranchWebhook> BranchWebhooks => Set<Webhooks.BranchWebhook>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        // Each feature folder keeps its entities' mapping in an IEntityTypeConfiguration beside them.
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(CustomerCareDbContext).Assembly);
        modelBuilder.MapCampaignMemberships();
        modelBuilder.Entity<RelationshipManager>(e =>
        {
            e.HasKey(m => m.StaffId);
            e.Property(m => m.StaffId).HasMaxLength(40);
            e.Property(m => m.Name).HasMaxLength(100);
            e.Property(m => m.BranchCode).HasMaxLength(20);
            e.HasIndex(m => m.BranchCode);
        });
    }
}

/// <summary>Lets <c>dotnet ef</c> build the context without starting the service.</summary>
public sealed class CustomerCareDesignTimeFactory : DesignTimeDbContextFactory<CustomerCareDbContext>;
