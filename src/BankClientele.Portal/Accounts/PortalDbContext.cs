using BankClientele.Hosting.Database;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using BankClientele.Portal.Regions;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Portal.Accounts;

/// <summary>
/// The portal's own database: staff sign-in accounts (ASP.NET Core Identity), the regions and the
/// data-protection key ring every portal replica shares (cookies, antiforgery tokens).
/// </summary>
public sealed class PortalDbContext(DbContextOptions<PortalDbContext> options)
    : IdentityDbContext<StaffAccount>(options), IDataProtectionKeyContext
{
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<Region> Regions => Set<Region>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<StaffAccount>(e =>
        {
            e.Property(a => a.DisplayName).HasMaxLength(100);
            e.Property(a => a.StaffId).HasMaxLength(40);
            e.Property(a => a.Role).HasMaxLength(40);
            e.Property(a => a.BranchCode).HasMaxLength(20);
            e.Property(a => a.RegionCode).HasMaxLength(20);
            e.HasIndex(a => a.StaffId).IsUnique();
        });
        builder.Entity<Region>(e =>
        {
            e.ToTable("regions");
            e.HasKey(r => r.Code);
            e.Property(r => r.Code).HasColumnName("code").HasMaxLength(20);
            e.Property(r => r.Name).HasColumnName("name").HasMaxLength(100);
            e.Property(r => r.BranchCodes).HasColumnName("branch_codes");
        });
    }
}

/// <summary>Lets <c>dotnet ef</c> build the context without starting the portal.</summary>
public sealed class PortalDesignTimeFactory : DesignTimeDbContextFactory<PortalDbContext>;
