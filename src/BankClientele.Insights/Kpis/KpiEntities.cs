using BankClientele.Hosting.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BankClientele.Insights.Kpis;

/// <summary>Which manager holds a customer now (RelationshipManagerAssigned; the latest assignment wins).</summary>
public sealed class ManagerBookEntry : IBranchOwned
{
    public Guid CustomerId { get; init; }
    /// <summary>Null once the customer went back to the branch pool (RelationshipManagerUnassigned): in no manager's book.</summary>
    public string? RelationshipManagerId { get; set; }
    public required string BranchCode { get; set; }
    public DateTimeOffset AssignedAt { get; set; }

    /// <summary>CustomerCare's assignment version of the last event applied; an event of this version or lower is stale.</summary>
    public long Version { get; set; }
}

/// <summary>A completed revisit (RevisitCompleted).</summary>
public sealed class RevisitCompletion : IBranchOwned
{
    public Guid RevisitId { get; init; }
    public Guid CustomerId { get; init; }
    public required string BranchCode { get; init; }
    public required string RelationshipManagerId { get; init; }
    public DateTimeOffset CompletedAt { get; init; }
    public bool OnTime { get; init; }
}

/// <summary>An accepted bundle (BundleAccepted).</summary>
public sealed class BundleAcceptance : IBranchOwned
{
    public Guid OfferId { get; init; }
    public Guid CustomerId { get; init; }
    public required string BranchCode { get; init; }
    public string? RelationshipManagerId { get; init; }
    public required string BundleCode { get; init; }
    public decimal Amount { get; init; }
    public DateTimeOffset AcceptedAt { get; init; }
}

/// <summary>A cost booked against a campaign (CampaignCostRecorded).</summary>
public sealed class CampaignCost : IBranchOwned
{
    public Guid CostId { get; init; }
    public required string CampaignCode { get; init; }
    public required string BranchCode { get; init; }
    public decimal Amount { get; init; }
    public required string Category { get; init; }
    public DateOnly IncurredOn { get; init; }
}

/// <summary>A campaign as launched (CampaignLaunched): its name and budget beside the costs booked against it.</summary>
public sealed class LaunchedCampaign : IBranchOwned
{
    public required string CampaignCode { get; init; }
    public required string Name { get; set; }
    public required string Kind { get; set; }
    public required string BranchCode { get; set; }
    public DateOnly StartsOn { get; set; }
    public DateOnly? EndsOn { get; set; }
    public decimal Budget { get; set; }
    public DateTimeOffset LaunchedAt { get; set; }
}

/// <summary>A customer won by Acquisition (ProspectConverted): the campaign credited and the cost attributed.</summary>
public sealed class AcquiredCustomer : IBranchOwned
{
    public Guid CustomerId { get; init; }
    public required string BranchCode { get; init; }
    public string? CampaignCode { get; init; }
    public decimal? AcquisitionCost { get; init; }
    public DateTimeOffset ConvertedAt { get; init; }
}

/// <summary>All banks' deposits in a city for a month, as head office enters them (yuan).</summary>
public sealed class RegionalDeposits
{
    public required string City { get; init; }
    /// <summary>The first day of the month.</summary>
    public DateOnly Month { get; init; }
    public decimal TotalDeposits { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public required string UpdatedBy { get; set; }
}

/// <summary>The city a branch is in (entered with the regional totals: the customer events carry no city).</summary>
public sealed class BranchCity : IBranchOwned
{
    public required string BranchCode { get; init; }
    public required string City { get; set; }
}

public sealed class KpiConfiguration :
    IEntityTypeConfiguration<ManagerBookEntry>, IEntityTypeConfiguration<RevisitCompletion>, IEntityTypeConfiguration<BundleAcceptance>,
    IEntityTypeConfiguration<CampaignCost>, IEntityTypeConfiguration<AcquiredCustomer>, IEntityTypeConfiguration<RegionalDeposits>,
    IEntityTypeConfiguration<BranchCity>, IEntityTypeConfiguration<LaunchedCampaign>
{
    public void Configure(EntityTypeBuilder<ManagerBookEntry> e)
    {
        e.ToTable("manager_books");
        e.HasKey(b => b.CustomerId);
        e.Property(b => b.RelationshipManagerId).HasMaxLength(40);
        e.Property(b => b.BranchCode).HasMaxLength(20);
        e.HasIndex(b => b.RelationshipManagerId);
    }

    public void Configure(EntityTypeBuilder<RevisitCompletion> e)
    {
        e.ToTable("revisit_completions");
        e.HasKey(r => r.RevisitId);
        e.Property(r => r.RelationshipManagerId).HasMaxLength(40);
        e.Property(r => r.BranchCode).HasMaxLength(20);
        e.HasIndex(r => new { r.RelationshipManagerId, r.CompletedAt });
    }

    public void Configure(EntityTypeBuilder<BundleAcceptance> e)
    {
        e.ToTable("bundle_acceptances");
        e.HasKey(b => b.OfferId);
        e.Property(b => b.RelationshipManagerId).HasMaxLength(40);
        e.Property(b => b.BranchCode).HasMaxLength(20);
        e.Property(b => b.BundleCode).HasMaxLength(40);
        e.Property(b => b.Amount).HasPrecision(18, 2);
        e.HasIndex(b => new { b.RelationshipManagerId, b.AcceptedAt });
    }

    public void Configure(EntityTypeBuilder<CampaignCost> e)
    {
        e.ToTable("campaign_costs");
        e.HasKey(c => c.CostId);
        e.Property(c => c.CampaignCode).HasMaxLength(40);
        e.Property(c => c.BranchCode).HasMaxLength(20);
        e.Property(c => c.Category).HasMaxLength(40);
        e.Property(c => c.Amount).HasPrecision(18, 2);
        e.HasIndex(c => c.CampaignCode);
    }

    public void Configure(EntityTypeBuilder<LaunchedCampaign> e)
    {
        e.ToTable("launched_campaigns");
        e.HasKey(c => c.CampaignCode);
        e.Property(c => c.CampaignCode).HasMaxLength(40);
        e.Property(c => c.Name).HasMaxLength(200);
        e.Property(c => c.Kind).HasMaxLength(40);
        e.Property(c => c.BranchCode).HasMaxLength(20);
        e.Property(c => c.Budget).HasPrecision(18, 2);
    }

    public void Configure(EntityTypeBuilder<AcquiredCustomer> e)
    {
        e.ToTable("acquired_customers");
        e.HasKey(c => c.CustomerId);
        e.Property(c => c.CampaignCode).HasMaxLength(40);
        e.Property(c => c.BranchCode).HasMaxLength(20);
        e.Property(c => c.AcquisitionCost).HasPrecision(18, 2);
        e.HasIndex(c => c.CampaignCode);
    }

    public void Configure(EntityTypeBuilder<RegionalDeposits> e)
    {
        e.ToTable("regional_deposits");
        e.HasKey(r => new { r.City, r.Month });
        e.Property(r => r.City).HasMaxLength(40);
        e.Property(r => r.TotalDeposits).HasPrecision(22, 2);
        e.Property(r => r.UpdatedBy).HasMaxLength(40);
    }

    public void Configure(EntityTypeBuilder<BranchCity> e)
    {
        e.ToTable("branch_cities");
        e.HasKey(b => b.BranchCode);
        e.Property(b => b.BranchCode).HasMaxLength(20);
        e.Property(b => b.City).HasMaxLength(40);
    }
}
