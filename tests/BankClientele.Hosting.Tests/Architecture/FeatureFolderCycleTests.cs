using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

// Outside BankClientele.Hosting.Tests on purpose: that namespace's set-up fixture starts the services on the real
// servers, and this test reads files only.
namespace BankClientele.Architecture;

/// <summary>
/// A service's code is in folders by feature (docs/architecture.md); a feature may use another, but one way only:
/// through a named interface or an event when the other must call back. This reads the sources of each service,
/// takes every file's feature (its first folder under the project, its namespace BankClientele.&lt;Service&gt;.&lt;Feature&gt;)
/// and what it names of the service's other features (their <c>using</c>s, fully qualified names, or a name
/// qualified by the feature such as <c>Book.CustomerBalances</c>; comments do not count), and fails on every
/// cycle between features, printing the whole graph. Reads files only.
/// </summary>
public sealed partial class FeatureFolderCycleTests
{
    public static readonly string[] Services = ["CustomerCare", "Acquisition", "FootTraffic", "Insights"];

    [TestCaseSource(nameof(Services))]
    public void The_feature_folders_of_a_service_depend_on_each_other_one_way(string service)
    {
        var graph = FeatureGraph.Build(service, SourcesOf(service));
        TestContext.Out.WriteLine(graph.Describe());

        Assert.That(graph.Features, Has.Count.GreaterThan(3), $"feature folders of {service}");
        var cycles = graph.Cycles();
        Assert.That(cycles, Is.Empty,
            $"{service}: {cycles.Count} cycle(s) between feature folders:\n"
            + string.Join("\n", cycles.Select(c => "  " + string.Join(" -> ", c.Append(c[0]))))
            + "\n" + graph.Describe());
    }

    [TestCaseSource(nameof(Services))]
    public void Every_file_of_a_feature_folder_is_in_that_features_namespace(string service)
    {
        var misplaced = SourcesOf(service)
            .Where(file => FeatureGraph.FeatureOf(file.Path) is not null)
            .Where(file => NamespaceDeclaration().Matches(file.Text) is var declared
                && (declared.Count == 0 || declared.Any(d => !IsWithin(d.Groups[1].Value, $"BankClientele.{service}.{FeatureGraph.FeatureOf(file.Path)}"))))
            .Select(file => file.Path)
            .ToList();
        Assert.That(misplaced, Is.Empty, "files whose namespace is not their folder's (the cycle check reads folders)");

        static bool IsWithin(string name, string feature) => name == feature || name.StartsWith(feature + ".", StringComparison.Ordinal);
    }

    [Test]
    public void The_graph_sees_usings_qualified_names_and_names_qualified_by_a_feature_but_not_comments()
    {
        (string, string)[] files =
        [
            ("Book/Customer.cs", "namespace BankClientele.Care.Book;\npublic sealed class Customer { }\n"),
            ("Book/Summary.cs", "using BankClientele.Care.Visits;\nnamespace BankClientele.Care.Book;\nclass Summary { }\n"),
            ("Visits/Visit.cs", "namespace BankClientele.Care.Visits;\nclass Visit { Book.Customer? c; }\n"),
            ("Tiers/Rules.cs", "namespace BankClientele.Care.Tiers;\n// BankClientele.Care.Visits.Visit, Visits.Visit\n/* using BankClientele.Care.Visits; */\nclass Rules { BankClientele.Care.Book.Customer? c; string s = \"x\"; }\n"),
            ("Feed/Import.cs", "using static BankClientele.Care.Tiers.Rules;\nnamespace BankClientele.Care.Feed;\nclass Import { }\n"),
            ("CareServices.cs", "using BankClientele.Care.Feed;\nnamespace BankClientele.Care;\n"),
        ];
        var graph = FeatureGraph.Build("Care", files);

        Assert.That(graph.Features, Is.EquivalentTo(new[] { "Book", "Visits", "Tiers", "Feed" }));
        Assert.That(graph.Edges.Keys, Is.EquivalentTo(new[] { ("Book", "Visits"), ("Visits", "Book"), ("Tiers", "Book"), ("Feed", "Tiers") }));
        Assert.That(graph.Cycles(), Is.EqualTo(new[] { new[] { "Book", "Visits" } }));
    }

    /// <summary>Every .cs file of src/BankClientele.&lt;service&gt; but bin/ and obj/, with its path under the project ('/'-separated).</summary>
    private static List<(string Path, string Text)> SourcesOf(string service)
    {
        var project = Path.Combine(RepositoryRoot(), "src", $"BankClientele.{service}");
        Assert.That(Directory.Exists(project), Is.True, project);
        return Directory.EnumerateFiles(project, "*.cs", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(project, path).Replace('\\', '/'))
            .Where(path => !path.StartsWith("bin/", StringComparison.Ordinal) && !path.StartsWith("obj/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(path => (path, File.ReadAllText(Path.Combine(project, path))))
            .ToList();
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "BankClientele.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"No BankClientele.sln above {TestContext.CurrentContext.TestDirectory}.");
    }

    [GeneratedRegex(@"^\s*namespace\s+([\w.]+)", RegexOptions.Multiline)]
    private static partial Regex NamespaceDeclaration();

    /// <summary>Which feature folders of one service name which others, and in which files.</summary>
    private sealed partial class FeatureGraph
    {
        public required string Service { get; init; }
        public required IReadOnlyList<string> Features { get; init; }

        /// <summary>(from, to) → the files of <c>from</c> that name <c>to</c>.</summary>
        public required IReadOnlyDictionary<(string From, string To), List<string>> Edges { get; init; }

        /// <summary>The first folder of a path under the project; null for a file at the project's root.</summary>
        public static string? FeatureOf(string path) => path.IndexOf('/', StringComparison.Ordinal) is var slash and > 0 ? path[..slash] : null;

        public static FeatureGraph Build(string service, IEnumerable<(string Path, string Text)> sources)
        {
            var files = sources.Select(s => (s.Path, Feature: FeatureOf(s.Path), Code: WithoutComments(s.Text)))
                .Where(f => f.Feature is not null)
                .ToList();
            var features = files.Select(f => f.Feature!).Distinct().Order(StringComparer.Ordinal).ToList();
            var typesOf = features.ToDictionary(feature => feature, feature => files.Where(f => f.Feature == feature)
                .SelectMany(f => TypeDeclaration().Matches(f.Code).Select(m => m.Groups[1].Value)).ToHashSet(StringComparer.Ordinal));
            var qualified = new Regex($@"\bBankClientele\.{Regex.Escape(service)}\.(\w+)\b");
            var edges = new SortedDictionary<(string From, string To), List<string>>(Comparer<(string From, string To)>.Create(
                (a, b) => string.CompareOrdinal(a.From, b.From) is var c and not 0 ? c : string.CompareOrdinal(a.To, b.To)));
            foreach (var file in files)
            {
                var code = NamespaceDeclaration().Replace(file.Code, "");
                var named = qualified.Matches(code).Select(m => m.Groups[1].Value)
                    .Concat(FeatureQualified().Matches(code)
                        .Where(m => typesOf.TryGetValue(m.Groups[1].Value, out var types) && types.Contains(m.Groups[2].Value))
                        .Select(m => m.Groups[1].Value));
                foreach (var other in named.Where(o => o != file.Feature && typesOf.ContainsKey(o)).Distinct())
                {
                    var key = (file.Feature!, other);
                    if (!edges.TryGetValue(key, out var list))
                    {
                        edges[key] = list = [];
                    }
                    list.Add(file.Path);
                }
            }
            return new FeatureGraph { Service = service, Features = features, Edges = edges };
        }

        /// <summary>Every elementary cycle, each from its first feature in ordinal order.</summary>
        public List<string[]> Cycles()
        {
            var next = Features.ToDictionary(f => f, f => Edges.Keys.Where(e => e.From == f).Select(e => e.To).Order(StringComparer.Ordinal).ToList());
            var cycles = new List<string[]>();
            foreach (var start in Features)
            {
                var path = new List<string> { start };
                Walk(start);

                void Walk(string at)
                {
                    foreach (var to in next[at])
                    {
                        if (to == start)
                        {
                            cycles.Add([.. path]);
                        }
                        else if (string.CompareOrdinal(to, start) > 0 && !path.Contains(to))
                        {
                            path.Add(to);
                            Walk(to);
                            path.RemoveAt(path.Count - 1);
                        }
                    }
                }
            }
            return cycles;
        }

        public string Describe()
        {
            var text = new StringBuilder($"{Service}: {Features.Count} feature folders ({string.Join(", ", Features)}), {Edges.Count} edges:\n");
            foreach (var ((from, to), files) in Edges)
            {
                text.Append(CultureInfo.InvariantCulture, $"  {from} -> {to}{(Edges.ContainsKey((to, from)) ? "  (both ways)" : "")}: {string.Join(", ", files)}\n");
            }
            return text.ToString();
        }

        /// <summary>The code with its comments blanked out (string literals kept, so a "//" inside one is not a comment).</summary>
        private static string WithoutComments(string text) =>
            CommentOrLiteral().Replace(text, m => m.Groups["literal"].Success ? m.Value : " ");

        [GeneratedRegex("""(?<literal>"{3,}[\s\S]*?"{3,}|@"(?:""|[^"])*"|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')|//[^\n]*|/\*[\s\S]*?\*/""")]
        private static partial Regex CommentOrLiteral();

        [GeneratedRegex(@"\b(?:class|record|struct|interface|enum)\s+([A-Z]\w*)")]
        private static partial Regex TypeDeclaration();

        /// <summary>A name qualified by a feature alone (resolved against the service's namespace), e.g. <c>Book.CustomerBalances</c>.</summary>
        [GeneratedRegex(@"(?<![\w.])([A-Z]\w*)\.([A-Z]\w*)\b")]
        private static partial Regex FeatureQualified();
    }
}
