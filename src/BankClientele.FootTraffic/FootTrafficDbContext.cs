using BankClientele.FootTraffic.Customers;
using BankClientele.FootTraffic.Lobby;
using BankClientele.FootTraffic.Staffing;
using BankClientele.FootTraffic.Visits;
using BankClientele.Hosting.Customers;
using BankClientele.Hosting.Database;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.FootTraffic;

public sealed class FootTrafficDbContext(DbContextOptions<FootTrafficDbContext> options) : ServiceDbContext(options)
{
    public DbSet<BranchVisit> Visits => Set<BranchVisit>();
    public DbSet<Profile.TrafficHour> TrafficHours => Set<Profile.TrafficHour>();
    public DbSet<Profile.TrafficDay> TrafficDays => Set<Profile.TrafficDay>();
    public DbSet<KnownCustomer> KnownCustomers => Set<KnownCustomer>();
    public DbSet<CustomerSegment> CustomerSegments => Set<CustomerSegment>();
    public DbSet<RosterSlot> RosterSlots => Set<RosterSlot>();
    public DbSet<LobbyEvent> LobbyEvents => Set<LobbyEvent>();
    public DbSet<LobbyInvitation> LobbyInvitations => Set<LobbyInvitation>();
    public DbSet<LobbyAttendance> LobbyAttendances => Set<LobbyAttendance>();
    public DbSet<LobbyOutcome> LobbyOutcomes => Set<LobbyOutcome>();
    public DbSet<WalkIn> WalkIns => Set<WalkIn>();
    public DbSet<ProspectConversion> ProspectConversions => Set<ProspectConversion>();
    public DbSet<KnownProspect> KnownProspects => Set<KnownProspect>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        // Each feature folder keeps its entities' mapping in an IEntityTypeConfiguration beside them.
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(FootTrafficDbContext).Assembly);
        modelBuilder.MapCampaignMemberships();
    }
}

/// <summary>Lets <c>dotnet ef</c> build the context without starting the service.</summary>
public sealed class FootTrafficDesignTimeFactory : DesignTimeDbContextFactory<FootTrafficDbContext>;
