using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using BankClientele.Cli.Infrastructure;
using BankClientele.Insights.Clv;

namespace BankClientele.Cli.Clv;

/// <summary>
/// <c>clv fit</c> and <c>clv predict</c>: customer lifetime value models on a raw transaction log
/// (time in weeks, purchases on one day counted once, as in the literature).
/// </summary>
public static class ClvCommand
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static Command Create(CliContext context) =>
        new("clv", "Customer lifetime value: fit BG/NBD (or Pareto/NBD) and Gamma-Gamma to a transaction log, predict per customer.")
        {
            Fit(context),
            Predict(context),
        };

    private sealed record LogOptions(Option<FileInfo> Transactions, Option<string> Format, Option<DateOnly> CalibrationEnd);

    private static LogOptions AddLogOptions(Command command)
    {
        var transactions = new Option<FileInfo>("--transactions")
        {
            Description = "The transaction log: CDNOW text (id [sample-id] yyyyMMdd quantity value) or CSV with columns customer,date,value.",
            HelpName = "file",
            Required = true,
        };
        transactions.AcceptExistingOnly();
        var format = new Option<string>("--format") { Description = "The log's format.", HelpName = "cdnow|csv", DefaultValueFactory = _ => "cdnow" };
        format.AcceptOnlyFromAmong("cdnow", "csv");
        var end = new Option<DateOnly>("--calibration-end")
        {
            Description = "Last day of the calibration period (inclusive), yyyy-MM-dd.",
            HelpName = "yyyy-MM-dd",
            Required = true,
            CustomParser = result =>
            {
                var text = result.Tokens.Single().Value;
                if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                {
                    return date;
                }
                result.AddError($"--calibration-end: '{text}' is not a yyyy-MM-dd date.");
                return default;
            },
        };
        command.Options.Add(transactions);
        command.Options.Add(format);
        command.Options.Add(end);
        return new LogOptions(transactions, format, end);
    }

    private static (CustomerSummaries Summaries, double Seconds) Load(CliContext context, ParseResult parse, LogOptions options)
    {
        var clock = Stopwatch.StartNew();
        var file = parse.GetRequiredValue(options.Transactions);
        CustomerSummaries summaries;
        try
        {
            summaries = TransactionLog.SummariseFile(file.FullName, parse.GetRequiredValue(options.Format) == "csv" ? TransactionLogFormat.Csv : TransactionLogFormat.Cdnow,
                parse.GetRequiredValue(options.CalibrationEnd));
        }
        catch (TransactionLogException e)
        {
            foreach (var error in e.Errors)
            {
                context.Fail($"{file.Name} line {error.Line}, {error.Field}: {error.Message}");
            }
            throw new CliException($"{e.ErrorCount} bad line(s) in {file.Name} (the first {e.Errors.Count} shown); nothing was fitted.");
        }
        if (summaries.Count == 0)
        {
            throw new CliException("No customer has a transaction on or before --calibration-end.");
        }
        context.Note($"{summaries.Transactions:N0} transactions of {summaries.CustomersRead:N0} customers read; {summaries.Count:N0} in the calibration period.");
        return (summaries, clock.Elapsed.TotalSeconds);
    }

    private static Command Fit(CliContext context)
    {
        var command = new Command("fit", "Fit the repeat-transaction model and the Gamma-Gamma spend model by maximum likelihood; prints one JSON line.");
        var options = AddLogOptions(command);
        var model = new Option<string>("--model") { Description = "The repeat-transaction model.", HelpName = "bgnbd|pareto-nbd", DefaultValueFactory = _ => "bgnbd" };
        model.AcceptOnlyFromAmong("bgnbd", "pareto-nbd");
        command.Options.Add(model);
        command.SetCliAction(context, (parse, _) =>
        {
            var (summaries, readAndSummarise) = Load(context, parse, options);
            var clock = Stopwatch.StartNew();
            var data = new FrequencyRecencyData(summaries);
            object repeatModel;
            string modelName;
            if (parse.GetValue(model) == "pareto-nbd")
            {
                var fit = ParetoNbd.Fit(data);
                WarnIfNotConverged(context, fit.Converged, "Pareto/NBD");
                (modelName, repeatModel) = ("paretoNbd", new { r = fit.Parameters.R, alpha = fit.Parameters.Alpha, s = fit.Parameters.S, beta = fit.Parameters.Beta, logLikelihood = fit.LogLikelihood });
            }
            else
            {
                var fit = BgNbd.Fit(data);
                WarnIfNotConverged(context, fit.Converged, "BG/NBD");
                (modelName, repeatModel) = ("bgnbd", new { r = fit.Parameters.R, alpha = fit.Parameters.Alpha, a = fit.Parameters.A, b = fit.Parameters.B, logLikelihood = fit.LogLikelihood });
            }
            var repeatSeconds = clock.Elapsed.TotalSeconds;
            clock.Restart();
            var spend = GammaGamma.Fit(summaries);
            WarnIfNotConverged(context, spend.Converged, "Gamma-Gamma");
            var result = new Dictionary<string, object>
            {
                ["customers"] = summaries.Count,
                [modelName] = repeatModel,
                ["gammaGamma"] = new { p = spend.Parameters.P, q = spend.Parameters.Q, gamma = spend.Parameters.Gamma, logLikelihood = spend.LogLikelihood, customers = spend.Customers },
                ["seconds"] = new Dictionary<string, double> { ["readAndSummarise"] = readAndSummarise, [modelName] = repeatSeconds, ["gammaGamma"] = clock.Elapsed.TotalSeconds },
            };
            context.RawOut.WriteLine(JsonSerializer.Serialize(result, Json));
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    private static void WarnIfNotConverged(CliContext context, bool converged, string model)
    {
        if (!converged)
        {
            context.Warn($"The {model} fit stopped before converging; its estimates may be rough.");
        }
    }

    private static Command Predict(CliContext context)
    {
        var command = new Command("predict", "Fit BG/NBD and Gamma-Gamma, then write each customer's P(alive), expected transactions, expected value and CLV as CSV.");
        var options = AddLogOptions(command);
        var horizon = new Option<int>("--horizon-weeks") { Description = "Prediction horizon in weeks.", HelpName = "weeks", DefaultValueFactory = _ => 52 };
        horizon.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 520)
            {
                r.AddError("--horizon-weeks must be between 1 and 520.");
            }
        });
        var discount = new Option<double>("--discount-rate") { Description = "Annual discount rate for CLV, e.g. 0.1.", HelpName = "rate", DefaultValueFactory = _ => 0.1 };
        discount.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() is < 0 or > 1)
            {
                r.AddError("--discount-rate must be between 0 and 1.");
            }
        });
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Write the CSV here instead of stdout.", HelpName = "file" };
        command.Options.Add(horizon);
        command.Options.Add(discount);
        command.Options.Add(output);
        command.SetCliAction(context, async (parse, ct) =>
        {
            var (columns, _) = Load(context, parse, options);
            var transactions = BgNbd.Fit(new FrequencyRecencyData(columns));
            var spend = GammaGamma.Fit(columns);
            var summaries = columns.ToList();
            var weeks = parse.GetValue(horizon);
            // Discounted per week: (1 + annual)^(1/52) − 1.
            var weekly = Math.Pow(1 + parse.GetValue(discount), 1 / 52.0) - 1;
            var file = parse.GetValue(output);
            // stdout is not ours to close; a file is.
            await using var fileWriter = file is null ? null : new StreamWriter(file.FullName);
            var writer = fileWriter ?? context.RawOut;
            await writer.WriteLineAsync("customer,frequency,recency_weeks,age_weeks,monetary_value,p_alive,expected_transactions,expected_value,clv");
            foreach (var c in summaries)
            {
                ct.ThrowIfCancellationRequested();
                var p = CustomerValue.Predict(c, transactions.Parameters, spend.Parameters, weeks, weeks, weekly);
                await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{Csv(p.CustomerId)},{p.Frequency},{p.Recency:0.####},{p.Age:0.####},{p.MonetaryValue:0.##},{p.ProbabilityAlive:0.######},{p.ExpectedTransactions:0.######},{p.ExpectedValue:0.##},{p.Clv:0.##}"));
            }
            context.Note($"BG/NBD r={transactions.Parameters.R:0.###} α={transactions.Parameters.Alpha:0.###} a={transactions.Parameters.A:0.###} b={transactions.Parameters.B:0.###}; " +
                $"Gamma-Gamma p={spend.Parameters.P:0.###} q={spend.Parameters.Q:0.###} γ={spend.Parameters.Gamma:0.###}; {summaries.Count:N0} customers over {weeks} weeks.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Csv(string value) =>
        value.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
