using BankClientele.Hosting.Database;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Portal.Accounts;

/// <summary>
/// The portal's own database: staff sign-in accounts (ASP.NET Core Identity) and the
/// data-protection key ring every portal replica shares (cookies, antiforgery tokens).
/// </summary>
public sealed class PortalDbContext(DbContextOptions<PortalDbContext> options)
    : IdentityDbContext<StaffAccount>(options), IDataProtectionKeyContext
{
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<StaffAccount>(e =>
        {
            e.Property(a => a.DisplayName).HasMaxLength(100);
            e.Property(a => a.StaffId).HasMaxLength(40);
            e.Property(a => a.Role).HasMaxLength(40);
            e.Property(a => a.BranchCode).HasMaxLength(20);
            e.HasIndex(a => a.StaffId).IsUnique();
        });
    }
}

/// <summary>Lets <c>dotnet ef</c> build the context without starting the portal.</summary>
public sealed class PortalDesignTimeFactory : DesignTimeDbContextFactory<PortalDbContext>;
