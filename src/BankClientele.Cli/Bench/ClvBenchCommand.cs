using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using BankClientele.Cli.Infrastructure;
using BankClientele.Insights.Clv;

namespace BankClientele.Cli.Bench;

/// <summary>
/// <c>bench clv</c>: simulates a raw transaction log from known BG/NBD and Gamma-Gamma parameters,
/// then reads it into summaries and fits both models as <c>clv fit</c> does, timing each step and
/// reporting how close the estimates come to the truth.
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
            var log = Simulate(n, origin, end, new Random(20261123));
            var simulate = clock.Elapsed.TotalSeconds;
            context.Note($"{log.Transactions:N0} transactions in {simulate:0.0} s; summarising...");
            ct.ThrowIfCancellationRequested();
            clock.Restart();
            var summaries = log.Summarise(end);
            var summarise = clock.Elapsed.TotalSeconds;
            context.Note($"Summarised in {summarise:0.00} s; fitting BG/NBD...");
            clock.Restart();
            var transactions = BgNbd.Fit(new FrequencyRecencyData(summaries));
            var bgnbd = clock.Elapsed.TotalSeconds;
            context.Note($"BG/NBD in {bgnbd:0.00} s ({transactions.Iterations} iterations); fitting Gamma-Gamma...");
            clock.Restart();
            var spend = GammaGamma.Fit(summaries);
            var gammaGamma = clock.Elapsed.TotalSeconds;
            static double Error(double estimate, double truth) => Math.Round(Math.Abs(estimate - truth) / truth, 4);
            var result = new
            {
                customers = summaries.Count,
                transactions = log.Transactions,
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
                    simulate = Math.Round(simulate, 3),
                    summarise = Math.Round(summarise, 3),
                    bgnbd = Math.Round(bgnbd, 3),
                    gammaGamma = Math.Round(gammaGamma, 3),
                    summariseAndFit = Math.Round(summarise + bgnbd + gammaGamma, 3),
                },
            };
            context.RawOut.WriteLine(JsonSerializer.Serialize(result, Clv.ClvCommand.Json));
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
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
