using BankClientele.Hosting.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BankClientele.Acquisition.Segments;

/// <summary>A target segment a member of staff defined for their branch; ranked beside the generated ones.</summary>
public sealed class SegmentDefinition : IBranchOwned
{
    public Guid Id { get; init; }
    public required string BranchCode { get; init; }
    public required string Name { get; set; }
    public string? City { get; set; }
    public string? District { get; set; }
    public string? Community { get; set; }
    public string? AgeBand { get; set; }
    public string? Occupation { get; set; }
    public string? IncomeBand { get; set; }
    public string? Tag { get; set; }
    public string? Channel { get; set; }
    public string? Engagement { get; set; }
    public string? Touches { get; set; }
    public string CreatedBy { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }

    public SegmentCriteria Criteria => new(City, District, Community, AgeBand, Occupation, IncomeBand, Tag, Channel, Engagement, Touches);
}

internal sealed class SegmentDefinitionConfiguration : IEntityTypeConfiguration<SegmentDefinition>
{
    public void Configure(EntityTypeBuilder<SegmentDefinition> e)
    {
        e.Property(s => s.BranchCode).HasMaxLength(20);
        e.Property(s => s.Name).HasMaxLength(100);
        foreach (var column in new[] { nameof(SegmentDefinition.City), nameof(SegmentDefinition.District), nameof(SegmentDefinition.Community),
                     nameof(SegmentDefinition.AgeBand), nameof(SegmentDefinition.Occupation), nameof(SegmentDefinition.IncomeBand),
                     nameof(SegmentDefinition.Tag), nameof(SegmentDefinition.Channel), nameof(SegmentDefinition.Engagement), nameof(SegmentDefinition.Touches) })
        {
            e.Property<string?>(column).HasMaxLength(60);
        }
        e.Property(s => s.CreatedBy).HasMaxLength(40);
        e.Ignore(s => s.Criteria);
        e.HasIndex(s => new { s.BranchCode, s.Name }).IsUnique();
    }
}
