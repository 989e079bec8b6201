using System.Text.Json.Serialization;
using BankClientele.Hosting.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BankClientele.CustomerCare.Managers;

/// <summary>
/// A relationship manager (客户经理) of a branch and how much of a book they can look after: the roster head office
/// keeps (<see cref="RelationshipManagerEndpoints"/>), which the book names its managers from and assignment fills.
/// </summary>
public sealed class RelationshipManager : IBranchOwned
{
    public required string StaffId { get; init; }
    public required string Name { get; set; }
    public required string BranchCode { get; set; }

    /// <summary>Capacity in weighted units: each customer weighs their tier's weight (see AssignmentOptions).</summary>
    public int Capacity { get; set; }

    /// <summary>Active managers take new customers; on leave keep their book but take none; inactive (left) keep nothing.</summary>
    public ManagerStatus Status { get; set; } = ManagerStatus.Active;

    /// <summary>Senior managers are the better fit for the high tiers (see AssignmentOptions.SeniorFromTier).</summary>
    public bool Senior { get; set; }
}

[JsonConverter(typeof(JsonStringEnumConverter<ManagerStatus>))]
public enum ManagerStatus
{
    Active,
    OnLeave,
    Inactive,
}

internal sealed class RelationshipManagerStatusConfiguration : IEntityTypeConfiguration<RelationshipManager>
{
    public void Configure(EntityTypeBuilder<RelationshipManager> e)
    {
        e.Property(m => m.Status).HasConversion<string>().HasMaxLength(20);
    }
}
