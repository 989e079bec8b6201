using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using BankClientele.Cli.Infrastructure;
using BankClientele.Insights.Uplift;
using Sylvan.Data.Csv;

namespace BankClientele.Cli.Uplift;

/// <summary>
/// <c>uplift did</c> and <c>uplift staggered</c>: the estimators of the uplift dashboard on any CSV
/// panel a head-office analyst brings. A bad row is reported by line and column and nothing is estimated.
/// <c>uplift power</c>: the design before the launch (group sizes for an effect, or the power of given groups).
/// </summary>
public static class UpliftCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static Command Create(CliContext context) =>
        new("uplift", "Treatment effects on a CSV panel: 2x2 difference-in-differences, or Callaway-Sant'Anna for staggered starts.")
        {
            Did(context),
            Staggered(context),
            Power(context),
        };

    /// <summary>
    /// Sizes a campaign before it starts (Planning.RequiredSampleSize: two-sided z-test, normal
    /// approximation, control fraction h, each group rounded up), or with <c>--treated</c> and
    /// <c>--control</c> the power of those groups against the effect and their minimum detectable effect.
    /// </summary>
    private static Command Power(CliContext context)
    {
        var sd = new Option<double>("--sd") { Description = "Standard deviation of the outcome per customer (e.g. yuan of deposits).", HelpName = "σ", Required = true };
        var effect = new Option<double>("--effect") { Description = "The effect to detect, in the outcome's units.", HelpName = "D", Required = true };
        var alpha = new Option<double>("--alpha") { Description = "Two-sided significance level.", HelpName = "α", DefaultValueFactory = _ => 0.05 };
        var power = new Option<double>("--power") { Description = "Power wanted (for the sizes, and the minimum detectable effect).", HelpName = "1-β", DefaultValueFactory = _ => 0.8 };
        var holdout = new Option<double>("--holdout-fraction") { Description = "Share of the customers held out as control.", HelpName = "h", DefaultValueFactory = _ => 0.5 };
        var treated = new Option<long?>("--treated") { Description = "Treated customers of a given design (with --control): prints its power and MDE.", HelpName = "N" };
        var control = new Option<long?>("--control") { Description = "Control customers of a given design (with --treated).", HelpName = "M" };
        var command = new Command("power", "Design before launch: prints {treated, control, total} for an effect, or {power, mde} of given groups; one JSON line.")
        {
            sd, effect, alpha, power, holdout, treated, control,
        };
        command.SetCliAction(context, (parse, _) =>
        {
            var (n, m) = (parse.GetValue(treated), parse.GetValue(control));
            if ((n is null) != (m is null))
            {
                throw new CliException("--treated and --control go together (the power of a given design), or neither (the sizes for an effect).");
            }
            if (n is { } t && m is { } c)
            {
                if (t is < 1 or > int.MaxValue || c is < 1 or > int.MaxValue)
                {
                    throw new CliException("--treated and --control must be between 1 and 2,147,483,647 customers.");
                }
                var achieved = Estimate(() => Planning.Power(parse.GetValue(effect), parse.GetValue(sd), (int)t, (int)c, parse.GetValue(alpha)));
                var mde = Estimate(() => Planning.MinimumDetectableEffect(parse.GetValue(sd), (int)t, (int)c, parse.GetValue(alpha), parse.GetValue(power)));
                context.RawOut.WriteLine(JsonSerializer.Serialize(new { power = achieved, mde }, Json));
                return Task.FromResult(ExitCodes.Ok);
            }
            var size = Estimate(() => Planning.RequiredSampleSize(parse.GetValue(sd), parse.GetValue(effect), parse.GetValue(alpha), parse.GetValue(power), parse.GetValue(holdout)));
            context.Note($"Two-sided z-test at α = {parse.GetValue(alpha)}, power {parse.GetValue(power)}, {parse.GetValue(holdout):P0} held out; each group rounded up.");
            context.RawOut.WriteLine(JsonSerializer.Serialize(new { treated = size.Treated, control = size.Control, total = size.Total }, Json));
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    private static Option<FileInfo> DataOption()
    {
        var data = new Option<FileInfo>("--data") { Description = "The panel as CSV with a header row.", HelpName = "file", Required = true };
        data.AcceptExistingOnly();
        return data;
    }

    private static Option<string> Column(string name, string description) =>
        new(name) { Description = description, HelpName = "column", Required = true };

    private static Command Did(CliContext context)
    {
        var data = DataOption();
        var unit = Column("--unit", "Column identifying the unit (customer, branch); standard errors are clustered by it.");
        var period = Column("--period", "Column of the period.");
        var treated = Column("--treated", "Column: 1 (or true) for the treated group, 0 for the control group.");
        var post = Column("--post", "Column: 1 for periods after the treatment start, 0 before.");
        var outcome = Column("--outcome", "Column of the outcome (e.g. the average daily deposit balance).");
        var command = new Command("did", "2x2 difference-in-differences with standard errors clustered by unit; prints one JSON line.")
        {
            data, unit, period, treated, post, outcome,
        };
        command.SetCliAction(context, (parse, _) =>
        {
            var rows = new List<DidObservation>();
            var periods = new HashSet<string>(StringComparer.Ordinal);
            ReadPanel(context, parse.GetRequiredValue(data), [parse.GetRequiredValue(unit), parse.GetRequiredValue(period), parse.GetRequiredValue(treated), parse.GetRequiredValue(post), parse.GetRequiredValue(outcome)],
                (fields, line, errors) =>
                {
                    var isTreated = Flag(fields[2], line, parse.GetRequiredValue(treated), errors);
                    var isPost = Flag(fields[3], line, parse.GetRequiredValue(post), errors);
                    var y = Number(fields[4], line, parse.GetRequiredValue(outcome), errors);
                    if (fields[0].Length == 0)
                    {
                        errors.Add(line, parse.GetRequiredValue(unit), "empty");
                    }
                    if (isTreated is { } d && isPost is { } p && y is { } value && fields[0].Length > 0)
                    {
                        periods.Add(fields[1]);
                        rows.Add(new DidObservation(fields[0], d, p, value));
                    }
                });
            var estimate = Estimate(() => DifferenceInDifferences.Estimate(rows));
            context.Note($"{estimate.Observations:N0} observations of {estimate.Clusters:N0} units over {periods.Count} periods.");
            context.RawOut.WriteLine(JsonSerializer.Serialize(new
            {
                att = estimate.Att,
                standardError = estimate.StandardError,
                ci95 = new[] { estimate.CiLow, estimate.CiHigh },
                observations = estimate.Observations,
                clusters = estimate.Clusters,
                method = estimate.Method,
            }, Json));
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    private static Command Staggered(CliContext context)
    {
        var data = DataOption();
        var unit = Column("--unit", "Column identifying the unit.");
        var period = Column("--period", "Column of the period (an integer, e.g. a week number).");
        var firstTreated = Column("--first-treated", "Column of the period the unit's treatment starts; empty or 0 for never treated.");
        var outcome = Column("--outcome", "Column of the outcome.");
        var control = new Option<string>("--control") { Description = "The comparison units.", HelpName = "never|not-yet", DefaultValueFactory = _ => "never" };
        control.AcceptOnlyFromAmong("never", "not-yet");
        var inference = new Option<string>("--inference")
        {
            Description = "How the intervals are drawn: randomization (as the dashboard: start periods reassigned at random, so a cohort of one " +
                "unit brings its own noise; falls back to influence-function when there are too few assignments) or influence-function.",
            HelpName = "randomization|influence-function",
            DefaultValueFactory = _ => RandomizationInference.Code,
        };
        inference.AcceptOnlyFromAmong(RandomizationInference.Code, "influence-function");
        var command = new Command("staggered", "Callaway-Sant'Anna group-time effects for staggered starts and their simple aggregate; prints one JSON line.")
        {
            data, unit, period, firstTreated, outcome, control, inference,
        };
        command.SetCliAction(context, (parse, _) =>
        {
            var rows = new List<StaggeredObservation>();
            ReadPanel(context, parse.GetRequiredValue(data), [parse.GetRequiredValue(unit), parse.GetRequiredValue(period), parse.GetRequiredValue(firstTreated), parse.GetRequiredValue(outcome)],
                (fields, line, errors) =>
                {
                    var p = Integer(fields[1], line, parse.GetRequiredValue(period), errors);
                    int? g = null;
                    var gValid = true;
                    if (fields[2].Length > 0 && fields[2] != "0")
                    {
                        g = Integer(fields[2], line, parse.GetRequiredValue(firstTreated), errors);
                        gValid = g is not null;
                    }
                    var y = Number(fields[3], line, parse.GetRequiredValue(outcome), errors);
                    if (fields[0].Length == 0)
                    {
                        errors.Add(line, parse.GetRequiredValue(unit), "empty");
                    }
                    if (p is { } periodValue && gValid && y is { } value && fields[0].Length > 0)
                    {
                        rows.Add(new StaggeredObservation(fields[0], periodValue, g, value));
                    }
                });
            var controls = parse.GetValue(control) == "not-yet" ? ControlGroup.NotYetTreated : ControlGroup.NeverTreated;
            var estimate = Estimate(() => CallawaySantAnna.Estimate(rows, controls));
            if (parse.GetValue(inference) == RandomizationInference.Code)
            {
                estimate = RandomizationInference.Apply(rows, controls, estimate);
            }
            context.Note($"{rows.Count:N0} observations of {estimate.Units:N0} units; {estimate.GroupTime.Count} group-time effects.");
            context.RawOut.WriteLine(JsonSerializer.Serialize(new
            {
                simple = new { att = estimate.Att, standardError = estimate.StandardError, ci95 = new[] { estimate.CiLow, estimate.CiHigh } },
                groupTime = estimate.GroupTime.Select(e => new
                {
                    group = e.Group,
                    period = e.Period,
                    basePeriod = e.BasePeriod,
                    eventTime = e.EventTime,
                    att = e.Att,
                    standardError = e.StandardError,
                    ci95 = new[] { e.CiLow, e.CiHigh },
                    treatedUnits = e.TreatedUnits,
                    controlUnits = e.ControlUnits,
                }),
                observations = rows.Count,
                method = estimate.Method,
                inference = estimate.Inference,
            }, Json));
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    private static T Estimate<T>(Func<T> estimate)
    {
        try
        {
            return estimate();
        }
        catch (ArgumentException e)
        {
            throw new CliException(e.Message.Split(" (Parameter", 2)[0]);
        }
    }

    internal sealed class RowErrors
    {
        private readonly List<string> first = [];

        public long Count { get; private set; }

        public IReadOnlyList<string> First => first;

        public void Add(long line, string column, string message)
        {
            Count++;
            if (first.Count < 100)
            {
                first.Add($"line {line}, {column}: {message}");
            }
        }
    }

    /// <summary>Reads the named columns of every row; reports the first 100 bad rows by line and column, then fails.</summary>
    private static void ReadPanel(CliContext context, FileInfo file, string[] columns, Action<string[], long, RowErrors> row)
    {
        using var reader = new StreamReader(file.FullName);
        using var csv = CsvDataReader.Create(reader, new CsvDataReaderOptions { HasHeaders = true });
        var ordinals = new int[columns.Length];
        var header = Enumerable.Range(0, csv.FieldCount).Select(i => csv.GetName(i).Trim()).ToList();
        for (var c = 0; c < columns.Length; c++)
        {
            ordinals[c] = header.FindIndex(h => string.Equals(h, columns[c], StringComparison.OrdinalIgnoreCase));
            if (ordinals[c] < 0)
            {
                throw new CliException($"{file.Name} has no column '{columns[c]}' (its columns: {string.Join(", ", header)}).");
            }
        }
        var errors = new RowErrors();
        var fields = new string[columns.Length];
        long line = 1;
        while (csv.Read())
        {
            line++;
            for (var c = 0; c < columns.Length; c++)
            {
                fields[c] = ordinals[c] < csv.RowFieldCount ? csv.GetString(ordinals[c]).Trim() : "";
            }
            row(fields, line, errors);
        }
        if (errors.Count > 0)
        {
            foreach (var message in errors.First)
            {
                context.Fail($"{file.Name} {message}");
            }
            throw new CliException($"{errors.Count} bad value(s) in {file.Name} (the first {errors.First.Count} shown); nothing was estimated.");
        }
    }

    private static bool? Flag(string text, long line, string column, RowErrors errors)
    {
        switch (text.ToUpperInvariant())
        {
            case "1" or "TRUE":
                return true;
            case "0" or "FALSE":
                return false;
            default:
                errors.Add(line, column, $"'{text}' is not 0/1 or true/false");
                return null;
        }
    }

    private static double? Number(string text, long line, string column, RowErrors errors)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
        {
            return value;
        }
        errors.Add(line, column, $"'{text}' is not a number");
        return null;
    }

    private static int? Integer(string text, long line, string column, RowErrors errors)
    {
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }
        errors.Add(line, column, $"'{text}' is not an integer");
        return null;
    }
}
