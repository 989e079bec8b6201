namespace BankClientele.Insights.Segmentation;

/// <summary>Settings of the nightly segmentation (section <c>Segmentation</c>).</summary>
public sealed class SegmentationOptions
{
    public const string Section = "Segmentation";

    /// <summary>Days of balances the models and RFM read, ending on the latest balance day.</summary>
    public int LookbackDays { get; set; } = 365;

    /// <summary>bgnbd or pareto-nbd: the repeat-transaction model.</summary>
    public string Model { get; set; } = "bgnbd";

    /// <summary>CLV horizon in weeks, split into <see cref="HorizonPeriods"/> discounting periods.</summary>
    public int HorizonWeeks { get; set; } = 52;

    public int HorizonPeriods { get; set; } = 12;

    /// <summary>Annual discount rate.</summary>
    public double AnnualDiscountRate { get; set; } = 0.10;

    /// <summary>
    /// What the bank earns on a yuan brought in (net interest margin over a year): a transaction's
    /// value is its inflow times this, so CLV is in yuan of margin, comparable with CAC.
    /// </summary>
    public double Margin { get; set; } = 0.015;

    public int NewCustomerDays { get; set; } = 90;

    public double LapsedProbabilityAlive { get; set; } = 0.3;

    public int LapsedDays { get; set; } = 180;

    public int ActiveRepeatTransactions { get; set; } = 2;

    /// <summary>CLV bands, yuan.</summary>
    public double HighValueFrom { get; set; } = 5_000;

    public double MediumValueFrom { get; set; } = 1_000;

    public double LowValueFrom { get; set; } = 100;

    /// <summary>The nightly run (cron, China Standard Time).</summary>
    public string Cron { get; set; } = "30 2 * * *";
}
