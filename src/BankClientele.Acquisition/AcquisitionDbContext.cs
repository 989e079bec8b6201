using BankClientele.Acquisition.Prospects;
using BankClientele.Hosting.Database;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Acquisition;

public sealed class AcquisitionDbContext(DbContextOptions<AcquisitionDbContext> options) : ServiceDbContext(options)
{
    public DbSet<Prospect> Prospects => Set<Prospect>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        // Each feature folder keeps its entities' mapping in an IEntityTypeConfiguration beside them.
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(AcquisitionDbContext).Assembly);
        modelBuilder.Entity<Prospect>(e =>
        {
            e.Property(p => p.FullName).HasMaxLength(100);
            e.Property(p => p.Phone).HasMaxLength(30);
            e.Property(p => p.BranchCode).HasMaxLength(20);
            e.Property(p => p.CampaignCode).HasMaxLength(40);
            e.Property(p => p.CreatedBy).HasMaxLength(40);
            e.Property(p => p.AccountNumber).HasMaxLength(40);
            e.Property(p => p.InitialDeposit).HasPrecision(18, 2);
            e.Property(p => p.Status).HasConversion<string>().HasMaxLength(20);
            e.Property<uint>("xmin").IsRowVersion();
            e.HasIndex(p => new { p.BranchCode, p.CreatedAt });
        });
    }
}

/// <summary>Lets <c>dotnet ef</c> build the context without starting the service.</summary>
public sealed class AcquisitionDesignTimeFactory : DesignTimeDbContextFactory<AcquisitionDbContext>;
