using BankClientele.FootTraffic.Visits;
using BankClientele.Hosting.Database;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.FootTraffic;

public sealed class FootTrafficDbContext(DbContextOptions<FootTrafficDbContext> options) : ServiceDbContext(options)
{
    public DbSet<BranchVisit> Visits => Set<BranchVisit>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        // Each feature folder keeps its entities' mapping in an IEntityTypeConfiguration beside them.
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(FootTrafficDbContext).Assembly);
        modelBuilder.Entity<BranchVisit>(e =>
        {
            e.ToTable("branch_visits");
            e.Property(v => v.BranchCode).HasMaxLength(20);
            e.Property(v => v.TicketNumber).HasMaxLength(20);
            e.Property(v => v.ServiceType).HasMaxLength(40);
            e.HasIndex(v => new { v.BranchCode, v.ArrivedAt });
        });
    }
}

/// <summary>Lets <c>dotnet ef</c> build the context without starting the service.</summary>
public sealed class FootTrafficDesignTimeFactory : DesignTimeDbContextFactory<FootTrafficDbContext>;
