namespace BankClientele.Contracts.Insights;

/// <summary>
/// The nightly segmentation moved a customer: RFM cell, CLV band or lifecycle stage. Published only
/// when something changed. Lifecycle stages: Acquire, Activate, Retain, Convert (win back).
/// </summary>
/// <param name="Rfm">Three digits, recency-frequency-monetary quintiles, 5 best (e.g. "545").</param>
/// <param name="ExpectedLifetimeValue">Discounted CLV in yuan over the model's horizon.</param>
/// <param name="ProbabilityAlive">The BG/NBD probability that the customer is still active.</param>
public sealed record CustomerSegmentChanged(
    Guid CustomerId,
    string BranchCode,
    string Rfm,
    string ValueSegment,
    string LifecycleStage,
    decimal ExpectedLifetimeValue,
    double ProbabilityAlive,
    DateTimeOffset ComputedAt);
