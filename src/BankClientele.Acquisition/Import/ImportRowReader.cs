using System.Globalization;
using System.Text.RegularExpressions;
using BankClientele.Hosting.Imports;
using BankClientele.Hosting.Privacy;
using Sylvan.Data.Csv;
using BankClientele.Hosting.Refusals;

namespace BankClientele.Acquisition.Import;

/// <summary>One checked row of a prospect list, hashed, as it is staged.</summary>
internal sealed class ImportRow
{
    public int Line;

    /// <summary>The first line of the row's group (duplicates in the file), its prospect id and the row's touch id.</summary>
    public int Group;
    public Guid ProspectId;
    public Guid TouchId;
    public string FullName = "";
    public string Phone = "";
    public string? IdNumber;
    public string? PhoneHash;
    public string? IdHash;
    public string BranchCode = "";
    public string? CampaignCode;
    public string Channel = "";
    public string? ReferralCode;
    public string? District;
    public string? AgeBand;
    public string? Occupation;
    public string? Tags;
    public DateTimeOffset? ConsentAt;
    public string? ConsentChannel;
    public string? ConsentWording;
    public string? FinancialConsentWording;
    public string? City;
    public string? Community;
    public string? IncomeBand;
}

/// <summary>
/// Reads a prospect list row by row: every field checked (bad rows reported by line and field),
/// trimmed, and the phone and ID number hashed. Written for a million rows: fields are read as spans
/// and only turned into strings when kept, the few distinct values of a column (branch, campaign,
/// channel, district, wording…) are shared rather than allocated per row, and the hashing reuses one
/// HMAC context.
/// </summary>
internal sealed partial class ImportRowReader : IDisposable
{
    private const int FullName = 0, Phone = 1, IdNumber = 2, BranchCode = 3, CampaignCode = 4, Channel = 5, ReferralCode = 6, District = 7,
        AgeBand = 8, Occupation = 9, Tags = 10, ConsentAt = 11, ConsentChannel = 12, ConsentWording = 13, FinancialConsentWording = 14,
        City = 15, Community = 16, IncomeBand = 17;

    // Per column, in the order of ProspectImporter.Columns: its longest value, whether it is required,
    // whether its values repeat (shared strings).
    private static readonly (int Max, bool Required, bool Repeats)[] Rules =
    [
        (100, true, false), (30, true, false), (30, false, false), (20, true, true), (40, false, true), (30, false, true), (40, false, true),
        (40, false, true), (20, false, true), (40, false, true), (200, false, true), (40, false, true), (30, false, true), (1000, false, true),
        (1000, false, true), (40, false, true), (60, false, true), (20, false, true),
    ];

    private static readonly HashSet<string> Channels = ["import", "staff", "lobby", "community-event", "partner", "online"];

    [GeneratedRegex(@"^\+?[0-9 -]{7,24}$")]
    private static partial Regex PhonePattern();

    [GeneratedRegex("^[0-9]{15}([0-9]{2}[0-9Xx])?$")]
    private static partial Regex IdPattern();

    private readonly CsvDataReader csv;
    private readonly int[] ordinals;
    private readonly ImportOptions options;
    private readonly DateTimeOffset now;
    private readonly PersonalDataHash.Hasher hasher;
    private readonly StringPool[] pools = Enumerable.Range(0, Rules.Length).Select(_ => new StringPool()).ToArray();
    private readonly string?[] values = new string?[Rules.Length];
    private string? lastConsentText;
    private DateTimeOffset? lastConsentAt;

    public ImportRowReader(CsvDataReader csv, ImportOptions options, PersonalDataHash hash, DateTimeOffset now)
    {
        this.csv = csv;
        this.options = options;
        this.now = now;
        hasher = hash.CreateHasher();
        ordinals = ProspectImporter.Columns.Select(TryOrdinal).ToArray();
    }

    public int Line { get; private set; } = 1;

    /// <summary>A dry run's first rows as read (null when applying).</summary>
    public ImportPreview? Preview { get; init; }

    /// <summary>Codes of campaigns of branches outside the caller's scope: a row naming one is refused.</summary>
    public IReadOnlySet<string> ForeignCampaigns { get; init; } = new HashSet<string>();
    public int ErrorCount { get; private set; }
    public List<ImportError> Errors { get; } = [];

    /// <summary>The header's problems (a required column missing); none when it can be read.</summary>
    public bool CheckHeader()
    {
        for (var i = 0; i < Rules.Length; i++)
        {
            if (Rules[i].Required && ordinals[i] < 0)
            {
                Fail(1, ProspectImporter.Columns[i], FieldReasons.MissingColumn, $"The header has no '{ProspectImporter.Columns[i]}' column (columns: {string.Join(", ", ProspectImporter.Columns)}).");
            }
        }
        return ErrorCount == 0;
    }

    public enum ReadResult { End, Row, Checked }

    /// <summary>
    /// Reads the next row into <paramref name="row"/> (<see cref="ReadResult.Row"/>). A bad row is
    /// reported and left unfilled; once any row is bad, later rows are only checked (<see cref="ReadResult.Checked"/>).
    /// </summary>
    public async ValueTask<ReadResult> ReadAsync(ImportRow row, CancellationToken ct)
    {
        if (!await csv.ReadAsync(ct))
        {
            return ReadResult.End;
        }
        var line = ++Line;
        var before = ErrorCount;
        for (var i = 0; i < Rules.Length; i++)
        {
            values[i] = Field(i, line);
        }
        if (Preview is { Wants: true })
        {
            Preview.Add(line, i => values[i]);
        }
        var phone = values[Phone];
        var idNumber = values[IdNumber];
        var branch = values[BranchCode];
        var channel = values[Channel] ?? options.DefaultChannel;
        if (phone is not null && !PhonePattern().IsMatch(phone))
        {
            Fail(line, "phone", FieldReasons.NotAPhone, "phone must be 7 to 20 digits.");
        }
        if (idNumber is not null && !IdPattern().IsMatch(idNumber))
        {
            Fail(line, "id_number", FieldReasons.NotAnIdNumber, "id_number must be a 15 or 18 character resident ID.");
        }
        if (branch is not null && !options.MayUseBranch(branch))
        {
            Fail(line, "branch_code", FieldReasons.OutOfScope, $"branch {branch} is outside your data scope.");
        }
        if (values[CampaignCode] is { } campaign && ForeignCampaigns.Contains(campaign))
        {
            Fail(line, "campaign_code", FieldReasons.OutOfScope, $"campaign {campaign} belongs to a branch outside your data scope.");
        }
        if (!Channels.Contains(channel))
        {
            Fail(line, "channel", FieldReasons.NotOneOf, $"channel must be one of {string.Join(", ", Channels)}.");
        }
        var consentAt = ConsentTime(values[ConsentAt], line);
        var (consentWording, financialWording) = (values[ConsentWording], values[FinancialConsentWording]);
        if ((consentWording is not null || financialWording is not null) && (consentAt is null || values[ConsentChannel] is null))
        {
            Fail(line, consentAt is null ? "consent_at" : "consent_channel", FieldReasons.ConsentIncomplete, "A consent needs its time (consent_at) and channel (consent_channel), as PIPL asks.");
        }
        if (consentWording is null && financialWording is not null)
        {
            Fail(line, "financial_consent_wording", FieldReasons.FinancialConsentNeedsMarketing, "Consent to use financial data is separate from, and needs, marketing consent (consent_wording).");
        }
        if (ErrorCount > before || ErrorCount > 0)
        {
            return ReadResult.Checked; // once a row is bad nothing is applied: the rest are only checked
        }
        row.Line = line;
        row.FullName = values[FullName]!;
        row.Phone = phone!;
        row.IdNumber = idNumber;
        row.PhoneHash = hasher.Phone(phone);
        row.IdHash = idNumber is null ? null : hasher.IdNumber(idNumber);
        row.BranchCode = branch!;
        row.CampaignCode = values[CampaignCode];
        row.Channel = channel;
        row.ReferralCode = values[ReferralCode];
        row.District = values[District];
        row.AgeBand = values[AgeBand];
        row.Occupation = values[Occupation];
        row.Tags = values[Tags];
        row.ConsentAt = consentAt;
        row.ConsentChannel = values[ConsentChannel];
        row.ConsentWording = consentWording;
        row.FinancialConsentWording = financialWording;
        row.City = values[City];
        row.Community = values[Community];
        row.IncomeBand = values[IncomeBand];
        return ReadResult.Row;
    }

    public void Dispose() => hasher.Dispose();

    /// <summary>A field trimmed, null when absent or empty; too long or missing when required is reported.</summary>
    private string? Field(int column, int line)
    {
        var ordinal = ordinals[column];
        var span = ordinal < 0 || ordinal >= csv.FieldCount ? default : csv.GetFieldSpan(ordinal).Trim();
        var (max, required, repeats) = Rules[column];
        if (span.IsEmpty)
        {
            if (required)
            {
                Fail(line, ProspectImporter.Columns[column], FieldReasons.Required, $"{ProspectImporter.Columns[column]} is required.");
            }
            return null;
        }
        if (span.Length > max)
        {
            Fail(line, ProspectImporter.Columns[column], FieldReasons.TooLong, $"{ProspectImporter.Columns[column]} is longer than {max} characters.",
                new Dictionary<string, decimal> { ["max"] = max });
            return null;
        }
        return repeats ? pools[column].Get(span) : new string(span);
    }

    private DateTimeOffset? ConsentTime(string? text, int line)
    {
        if (text is null)
        {
            return null;
        }
        if (ReferenceEquals(text, lastConsentText))
        {
            return lastConsentAt; // a list's consents often share one time (a shared string: same text)
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) && parsed <= now.AddMinutes(5))
        {
            (lastConsentText, lastConsentAt) = (text, parsed.ToUniversalTime());
            return lastConsentAt;
        }
        Fail(line, "consent_at", FieldReasons.NotATime, "consent_at must be an ISO 8601 time, not in the future.");
        return null;
    }

    private void Fail(int line, string field, string code, string message, IReadOnlyDictionary<string, decimal>? arguments = null)
    {
        ErrorCount++;
        if (Errors.Count < ProspectImporter.MaxReportedErrors)
        {
            Errors.Add(new ImportError(line, field, code, message, arguments));
        }
    }

    private int TryOrdinal(string name)
    {
        for (var i = 0; i < csv.FieldCount; i++)
        {
            if (string.Equals(csv.GetName(i).Trim(), name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>One column's distinct values, up to a few thousand (beyond that a column does not repeat enough to pay).</summary>
    private sealed class StringPool
    {
        private const int Limit = 4096;
        private readonly Dictionary<string, string> strings = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> lookup;

        public StringPool() => lookup = strings.GetAlternateLookup<ReadOnlySpan<char>>();

        public string Get(ReadOnlySpan<char> value)
        {
            if (lookup.TryGetValue(value, out var known))
            {
                return known;
            }
            var created = new string(value);
            if (strings.Count < Limit)
            {
                strings[created] = created;
            }
            return created;
        }
    }
}
