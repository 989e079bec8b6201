using BankClientele.Hosting.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BankClientele.Insights.Segmentation;

/// <summary>A customer's segment as the last segmentation run computed it.</summary>
public sealed class CustomerSegment : IBranchOwned
{
    public Guid CustomerId { get; init; }
    public required string BranchCode { get; set; }
    public required string Rfm { get; set; }
    public short RecencyScore { get; set; }
    public short FrequencyScore { get; set; }
    public short MonetaryScore { get; set; }
    public int DaysSinceLastTransaction { get; set; }
    public int RepeatTransactions { get; set; }
    public decimal Assets { get; set; }
    public double ProbabilityAlive { get; set; }
    public double ExpectedTransactions { get; set; }
    public decimal Clv { get; set; }
    public required string ValueSegment { get; set; }
    public required string LifecycleStage { get; set; }
    public DateOnly AsOf { get; set; }
    /// <summary>When the RFM cell, value segment or lifecycle stage last changed (and an event went out).</summary>
    public DateTimeOffset ChangedAt { get; set; }
}

/// <summary>One run of the segmentation: the model fitted and what changed.</summary>
public sealed class SegmentationRun
{
    public Guid Id { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset FinishedAt { get; set; }
    public DateOnly AsOf { get; set; }
    public int Customers { get; set; }
    public int Updated { get; set; }
    public int Published { get; set; }
    public required string Model { get; set; }
    /// <summary>The fitted parameters as JSON (r, α, a, b or r, α, s, β; p, q, γ).</summary>
    public required string Parameters { get; set; }
    public double Seconds { get; set; }
}

public sealed class CustomerSegmentConfiguration : IEntityTypeConfiguration<CustomerSegment>
{
    public void Configure(EntityTypeBuilder<CustomerSegment> e)
    {
        e.ToTable("customer_segments");
        e.HasKey(s => s.CustomerId);
        e.Property(s => s.BranchCode).HasMaxLength(20);
        e.Property(s => s.Rfm).HasMaxLength(3);
        e.Property(s => s.Assets).HasPrecision(18, 2);
        e.Property(s => s.Clv).HasPrecision(18, 2);
        e.Property(s => s.ValueSegment).HasMaxLength(16);
        e.Property(s => s.LifecycleStage).HasMaxLength(16);
        e.HasIndex(s => new { s.BranchCode, s.ValueSegment });
    }
}

public sealed class SegmentationRunConfiguration : IEntityTypeConfiguration<SegmentationRun>
{
    public void Configure(EntityTypeBuilder<SegmentationRun> e)
    {
        e.ToTable("segmentation_runs");
        e.HasKey(r => r.Id);
        e.Property(r => r.Model).HasMaxLength(16);
        e.Property(r => r.Parameters).HasColumnType("jsonb");
    }
}
