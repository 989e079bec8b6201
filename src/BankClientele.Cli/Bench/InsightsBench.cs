using System.CommandLine;
using BankClientele.Cli.Infrastructure;

namespace BankClientele.Cli.Bench;

/// <summary><c>bench</c>: the Insights benchmarks (each ends with one JSON line of its figures).</summary>
public static class InsightsBench
{
    public static Command Create(CliContext context) =>
        new("bench", "Benchmarks: each shows its progress on stderr and ends with one JSON line of figures on stdout.")
        {
            ClvBenchCommand.Create(context),
            SegmentationBenchCommand.Create(context),
        };
}
