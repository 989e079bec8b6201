using BankClientele.Acquisition.Campaigns;
using BankClientele.Acquisition.Customers;
using BankClientele.Acquisition.Funnel;
using BankClientele.Acquisition.Partners;
using BankClientele.Acquisition.Prospects;
using BankClientele.Hosting.Database;
using Microsoft.EntityFrameworkCore;

namespace BankClientele.Acquisition;

public sealed class AcquisitionDbContext(DbContextOptions<AcquisitionDbContext> options) : ServiceDbContext(options)
{
    public DbSet<Prospect> Prospects => Set<Prospect>();
    public DbSet<ProspectTouch> ProspectTouches => Set<ProspectTouch>();
    public DbSet<ProspectConsent> ProspectConsents => Set<ProspectConsent>();
    public DbSet<DoNotContactEntry> DoNotContact => Set<DoNotContactEntry>();
    public DbSet<ExistingCustomer> ExistingCustomers => Set<ExistingCustomer>();
    public DbSet<CustomerValue> CustomerValues => Set<CustomerValue>();
    public DbSet<CustomerManager> CustomerManagers => Set<CustomerManager>();
    public DbSet<Segments.SegmentDefinition> SegmentDefinitions => Set<Segments.SegmentDefinition>();
    public DbSet<Campaign> Campaigns => Set<Campaign>();
    public DbSet<CampaignCost> CampaignCosts => Set<CampaignCost>();
    public DbSet<LeadStageCount> LeadStageCounts => Set<LeadStageCount>();
    public DbSet<CampaignAudienceMember> CampaignAudience => Set<CampaignAudienceMember>();
    public DbSet<Partner> Partners => Set<Partner>();
    public DbSet<ConversionCredit> ConversionCredits => Set<ConversionCredit>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        // Each feature folder keeps its entities' mapping in an IEntityTypeConfiguration beside them.
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(AcquisitionDbContext).Assembly);
    }
}

/// <summary>Lets <c>dotnet ef</c> build the context without starting the service.</summary>
public sealed class AcquisitionDesignTimeFactory : DesignTimeDbContextFactory<AcquisitionDbContext>;
