using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using BankClientele.Cli.Infrastructure;
using BankClientele.Insights.Clv;

namespace BankClientele.Cli.Bench;

/// <summary>
/// <c>bench clv</c>: simulates a raw transaction log from known BG/NBD and Gamma-Gamma parameters and
/// writes it as a CDNOW file; then, in this process, a plain parse of the file's bytes (one thread,
/// every field parsed, nothing kept: the floor any reader pays) and the whole of <c>clv fit</c> on the
/// same file (the parallel read that summarises as it parses, BG/NBD, Gamma-Gamma), timing each step; reports the ratio of
/// the two and how close the estimates come to the truth.
/// </summary>
public static class ClvBenchCommand
{
    public static readonly BgNbdParameters TrueTransactions = new(0.8, 5, 0.6, 3);

    public static readonly GammaGammaParameters TrueSpend = new(6, 4, 15);

    public static Command Create(CliContext context)
    {
        var customers = new Option<int>("--customers") { Description = "Customers to simulate.", HelpName = "N", DefaultValueFactory = _ => 100_000 };
        customers.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 100 or > 10_000_000)
            {
                r.AddError("--customers must be between 100 and 10,000,000.");
            }
        });
        var command = new Command("clv", "Simulate a transaction log of N customers from known parameters, fit BG/NBD and Gamma-Gamma, print the time and the recovery as one JSON line.")
        {
            customers,
        };
        command.SetCliAction(context, (parse, ct) =>
        {
            var n = parse.GetValue(customers);
            var origin = new DateOnly(2025, 1, 1);
            var end = origin.AddDays(52 * 7 - 1);
            context.Note($"Simulating {n:N0} customers over 52 weeks (r={TrueTransactions.R}, α={TrueTransactions.Alpha}, a={TrueTransactions.A}, b={TrueTransactions.B}; p={TrueSpend.P}, q={TrueSpend.Q}, γ={TrueSpend.Gamma})...");
            var clock = Stopwatch.StartNew();
            var simulated = Simulate(n, origin, end, new Random(20261123));
            var simulate = clock.Elapsed.TotalSeconds;
            var path = Path.Combine(Path.GetTempPath(), $"bankclientele-clv-{Guid.NewGuid():N}.txt");
            try
            {
                using (var file = File.Create(path))
                {
                    simulated.WriteCdnow(file);
                }
                var bytes = new FileInfo(path).Length;
                context.Note($"{simulated.Transactions:N0} transactions in {simulate:0.0} s, {bytes / 1e6:N0} MB written; a plain parse of the file...");
                ct.ThrowIfCancellationRequested();
                PlainParse(path); // warms the page cache, so both timings read memory
                var cpu = Cpu();
                clock.Restart();
                var plain = PlainParse(path);
                var plainParse = clock.Elapsed.TotalSeconds;
                var plainCpu = Cpu() - cpu;
                context.Note($"Plain parse: {plain.Lines:N0} lines in {plainParse:0.00} s; clv fit of the file...");
                cpu = Cpu();
                clock.Restart();
                var summaries = TransactionLog.SummariseFile(path, TransactionLogFormat.Cdnow, end);
                var readAndSummarise = clock.Elapsed.TotalSeconds;
                var readCpu = Cpu() - cpu;
                context.Note($"Read and summarised in {readAndSummarise:0.00} s (processor {readCpu:0.00} s); fitting BG/NBD...");
                clock.Restart();
                var transactions = BgNbd.Fit(new FrequencyRecencyData(summaries));
                var bgnbd = clock.Elapsed.TotalSeconds;
                context.Note($"BG/NBD in {bgnbd:0.00} s ({transactions.Iterations} iterations); fitting Gamma-Gamma...");
                clock.Restart();
                var spend = GammaGamma.Fit(summaries);
                var gammaGamma = clock.Elapsed.TotalSeconds;
                var fit = readAndSummarise + bgnbd + gammaGamma;
                var fitCpu = Cpu() - cpu;
                WriteResult(context, summaries.Count, summaries.Transactions, bytes, transactions, spend, new Timings(simulate, plainParse, readAndSummarise, bgnbd, gammaGamma, fit, plainCpu, fitCpu));
            }
            finally
            {
                File.Delete(path);
            }
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    private sealed record Timings(double Simulate, double PlainParse, double ReadAndSummarise, double BgNbd, double GammaGamma, double Fit, double PlainParseCpu, double FitCpu);

    // Processor time of the whole process: on a machine shared with other work, it shows the work done apart from the waiting.
    private static double Cpu() => Environment.CpuUsage.TotalTime.TotalSeconds;

    private static void WriteResult(CliContext context, int customers, long transactionCount, long bytes, BgNbdFit transactions, GammaGammaFit spend, Timings t)
    {
        static double Error(double estimate, double truth) => Math.Round(Math.Abs(estimate - truth) / truth, 4);
        var result = new
        {
            customers,
            transactions = transactionCount,
            bytes,
            bgnbd = new { r = transactions.Parameters.R, alpha = transactions.Parameters.Alpha, a = transactions.Parameters.A, b = transactions.Parameters.B, logLikelihood = transactions.LogLikelihood, converged = transactions.Converged },
            gammaGamma = new { p = spend.Parameters.P, q = spend.Parameters.Q, gamma = spend.Parameters.Gamma, converged = spend.Converged },
            relativeError = new
            {
                r = Error(transactions.Parameters.R, TrueTransactions.R),
                alpha = Error(transactions.Parameters.Alpha, TrueTransactions.Alpha),
                a = Error(transactions.Parameters.A, TrueTransactions.A),
                b = Error(transactions.Parameters.B, TrueTransactions.B),
                p = Error(spend.Parameters.P, TrueSpend.P),
                q = Error(spend.Parameters.Q, TrueSpend.Q),
                gamma = Error(spend.Parameters.Gamma, TrueSpend.Gamma),
            },
            seconds = new
            {
                simulate = Math.Round(t.Simulate, 3),
                plainParse = Math.Round(t.PlainParse, 3),
                readAndSummarise = Math.Round(t.ReadAndSummarise, 3),
                bgnbd = Math.Round(t.BgNbd, 3),
                gammaGamma = Math.Round(t.GammaGamma, 3),
                fit = Math.Round(t.Fit, 3),
            },
            cpuSeconds = new { plainParse = Math.Round(t.PlainParseCpu, 3), fit = Math.Round(t.FitCpu, 3) },
            // The whole clv fit (read, summaries, both models) over a plain single-threaded parse of the same bytes.
            fitToPlainParse = Math.Round(t.Fit / t.PlainParse, 3),
        };
        context.RawOut.WriteLine(JsonSerializer.Serialize(result, Clv.ClvCommand.Json));
    }

    /// <summary>
    /// The baseline: every line of a CDNOW file split and its fields parsed (id, date digits, quantity,
    /// value) on one thread, in 1 MB reads, nothing kept but a checksum.
    /// </summary>
    public static (long Lines, double Checksum) PlainParse(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var buffer = new byte[1 << 20];
        var filled = 0;
        long lines = 0;
        double checksum = 0;
        while (true)
        {
            var read = stream.Read(buffer, filled, buffer.Length - filled);
            filled += read;
            var data = buffer.AsSpan(0, filled);
            var consumed = 0;
            while (true)
            {
                var newline = data[consumed..].IndexOf((byte)'\n');
                if (newline < 0 && read > 0)
                {
                    break;
                }
                var line = newline < 0 ? data[consumed..] : data.Slice(consumed, newline);
                consumed += newline < 0 ? line.Length : newline + 1;
                if (!line.IsEmpty)
                {
                    lines++;
                    checksum += ParseFields(line);
                }
                if (newline < 0)
                {
                    break;
                }
            }
            if (read == 0)
            {
                return (lines, checksum);
            }
            buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
            filled -= consumed;
        }
    }

    private static double ParseFields(ReadOnlySpan<byte> line)
    {
        double sum = 0;
        var field = 0;
        foreach (var range in line.Split((byte)' '))
        {
            var text = line[range];
            if (text.IsEmpty)
            {
                continue;
            }
            if (field == 3)
            {
                System.Buffers.Text.Utf8Parser.TryParse(text, out double value, out _);
                sum += value;
            }
            else
            {
                System.Buffers.Text.Utf8Parser.TryParse(text, out long number, out _);
                sum += field == 1 ? number % 100 : 0;
            }
            field++;
        }
        return sum;
    }

    /// <summary>
    /// A raw log as the BG/NBD story tells it: each customer's first purchase on a day of the first
    /// 12 weeks, repeat purchases at Poisson times with rate λ (per week) until drop-out with
    /// probability p after each, each worth a Gamma(p, ν) amount.
    /// </summary>
    private static TransactionLog Simulate(int customers, DateOnly origin, DateOnly end, Random random)
    {
        var log = new TransactionLog();
        var lambdas = new MathNet.Numerics.Distributions.Gamma(TrueTransactions.R, TrueTransactions.Alpha, random);
        var dropouts = new MathNet.Numerics.Distributions.Beta(TrueTransactions.A, TrueTransactions.B, random);
        var lastDay = end.DayNumber;
        for (var c = 0; c < customers; c++)
        {
            var lambda = lambdas.Sample();
            var dropout = dropouts.Sample();
            var nu = MathNet.Numerics.Distributions.Gamma.Sample(random, TrueSpend.Q, TrueSpend.Gamma);
            var first = origin.DayNumber + random.Next(84);
            log.Add(c, first, MathNet.Numerics.Distributions.Gamma.Sample(random, TrueSpend.P, nu));
            var weeks = 0.0;
            while (true)
            {
                weeks += -Math.Log(1 - random.NextDouble()) / lambda;
                // Compared before the cast: a tiny λ puts the next purchase beyond int's range of days.
                if (first + weeks * 7 > lastDay + 0.5)
                {
                    break;
                }
                var day = first + (int)Math.Round(weeks * 7);
                log.Add(c, day, MathNet.Numerics.Distributions.Gamma.Sample(random, TrueSpend.P, nu));
                if (random.NextDouble() < dropout)
                {
                    break;
                }
            }
        }
        return log;
    }
}
