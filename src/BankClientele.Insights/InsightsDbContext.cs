using BankClientele.Hosting.Database;
using BankClientele.Insights.BranchStats;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Insights;

public sealed class InsightsDbContext(DbContextOptions<InsightsDbContext> options) : ServiceDbContext(options)
{
    public DbSet<BranchStatistics> BranchStatistics => Set<BranchStatistics>();

    public DbSet<BranchDailySnapshot> DailySnapshots => Set<BranchDailySnapshot>();

    public DbSet<SnapshotRun> SnapshotRuns => Set<SnapshotRun>();

    public DbSet<Store.AnalyticCustomer> AnalyticCustomers => Set<Store.AnalyticCustomer>();

    public DbSet<Store.DailyBalance> DailyBalances => Set<Store.DailyBalance>();

    public DbSet<Store.BranchDailyDeposits> BranchDailyDeposits => Set<Store.BranchDailyDeposits>();

    public DbSet<Store.CampaignAudienceMember> CampaignAudience => Set<Store.CampaignAudienceMember>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        // Each feature folder keeps its entities' mapping in an IEntityTypeConfiguration beside them.
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(InsightsDbContext).Assembly);
        modelBuilder.Entity<BranchStatistics>(e =>
        {
            e.ToTable("branch_statistics");
            e.HasKey(s => s.BranchCode);
            e.Property(s => s.BranchCode).HasMaxLength(20);
        });
        modelBuilder.Entity<BranchDailySnapshot>(e =>
        {
            e.ToTable("branch_daily_snapshots");
            e.HasKey(s => new { s.Day, s.BranchCode });
            e.Property(s => s.BranchCode).HasMaxLength(20);
        });
        modelBuilder.Entity<SnapshotRun>(e => e.ToTable("snapshot_runs"));
    }
}

/// <summary>Lets <c>dotnet ef</c> build the context without starting the service.</summary>
public sealed class InsightsDesignTimeFactory : DesignTimeDbContextFactory<InsightsDbContext>;
