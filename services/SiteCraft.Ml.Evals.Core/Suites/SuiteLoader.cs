using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using SiteCraft.Ml.Catalog;
using SiteCraft.Ml.Evals.Core.Scoring;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace SiteCraft.Ml.Evals.Core.Suites;

/// <summary>
/// Reads suite files (docs/evals/README.md) into checked <see cref="SuiteDefinition"/>s:
/// unknown keys, wrong types, out-of-range parameters and unusable assertions are refused with
/// the file and line, and <c>schema: catalog</c> and reference values are resolved, so the runner
/// never meets a case it cannot score.
/// </summary>
public static partial class SuiteLoader
{
    /// <summary>The value of <c>schema</c> / <c>json_schema</c> that stands for the use case's catalog schema.</summary>
    public const string CatalogSchema = "catalog";

    public const int MaxRepeats = 20;

    private static readonly string[] s_topKeys = ["suite", "use_case", "name", "description", "pass_threshold", "defaults", "assertions", "cases"];
    private static readonly string[] s_defaultKeys = ["system", "max_tokens", "temperature", "top_p", "seed", "response_format", "json_schema", "repeats"];
    private static readonly string[] s_caseKeys = ["id", "cluster", "tags", "input", "messages", "expected", "assertions"];
    private static readonly string[] s_messageKeys = ["role", "text"];
    private static readonly string[] s_commonAssertionKeys = ["type", "name", "weight", "threshold", "path"];

    // The keys each type reads beyond the common ones; another key on it is a mistake worth naming.
    private static readonly Dictionary<string, string[]> s_typeKeys = new(StringComparer.Ordinal)
    {
        ["equals"] = ["value"],
        ["contains"] = ["value"],
        ["icontains"] = ["value"],
        ["contains-any"] = ["values"],
        ["contains-all"] = ["values"],
        ["regex"] = ["value"],
        ["is-json"] = [],
        ["json-schema"] = ["schema"],
        ["html"] = [],
        ["length"] = ["min", "max"],
        ["rouge-l"] = ["value"],
        ["f1"] = ["value"],
        ["bleu"] = ["value"],
        ["latency"] = ["max_ms"],
        ["cost"] = ["max_usd"],
        ["llm-judge"] = ["rubric", "judge"],
    };

    private static readonly string[] s_allAssertionKeys = [.. s_commonAssertionKeys, .. s_typeKeys.Values.SelectMany(k => k).Distinct()];

    private const string DuplicateKey = "Duplicate key ";

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads and checks one suite file.</summary>
    /// <param name="path">The suite file.</param>
    /// <exception cref="SuiteFormatException">The file is not a valid suite: "file:line: reason".</exception>
    public static SuiteDefinition LoadFile(string path) => Load(path).Suite;

    /// <summary>
    /// Loads every *.yaml and *.yml file of a folder, in name order. A bad file is reported and the
    /// others still load; a suite id already loaded from an earlier file makes the later file bad.
    /// </summary>
    /// <param name="folder">The folder of suite files (not searched recursively).</param>
    public static SuiteLoadResult LoadDirectory(string folder)
    {
        var files = Directory.EnumerateFiles(folder)
            .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            .OrderBy(f => Path.GetFileName(f), StringComparer.Ordinal);
        var suites = new List<SuiteDefinition>();
        var errors = new List<SuiteFormatException>();
        var loadedFrom = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            try
            {
                var (suite, idLine) = Load(file);
                if (loadedFrom.TryGetValue(suite.SuiteId, out var first))
                {
                    throw new SuiteFormatException(file, idLine, $"suite: '{suite.SuiteId}' is already the id of {first}");
                }

                loadedFrom.Add(suite.SuiteId, file);
                suites.Add(suite);
            }
            catch (SuiteFormatException e)
            {
                errors.Add(e);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                errors.Add(new SuiteFormatException(file, 1, $"cannot read the file ({e.Message})"));
            }
        }

        return new SuiteLoadResult(suites, errors);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex SuiteIdPattern();

    private static (SuiteDefinition Suite, int IdLine) Load(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var yaml = new SuiteYaml(path);
        var root = Parse(path, bytes, yaml);

        yaml.CheckKeys(root, s_topKeys);
        var idNode = yaml.Required(root, "suite", "a suite");
        var suiteId = yaml.RequiredString(root, "suite", "a suite");
        if (!SuiteIdPattern().IsMatch(suiteId))
        {
            throw yaml.Error(idNode, $"suite: '{suiteId}' is not a suite id ([a-z0-9][a-z0-9.-]*)");
        }

        var useCaseNode = yaml.Required(root, "use_case", "a suite");
        var useCaseId = yaml.RequiredString(root, "use_case", "a suite");
        if (!UseCaseCatalog.TryGet(useCaseId, out var useCase))
        {
            throw yaml.Error(useCaseNode, $"use_case: unknown use case '{useCaseId}' (known: {string.Join(", ", UseCaseCatalog.Ids)})");
        }

        yaml.Required(root, "pass_threshold", "a suite");
        var passThreshold = yaml.OptionalNumber(root, "pass_threshold", 0, 1)!.Value;
        var defaults = Defaults(yaml, root, useCase);
        var suiteAssertions = SuiteYaml.Get(root, "assertions") is { } suiteList ? Assertions(yaml, suiteList, useCase) : [];

        var casesNode = yaml.Sequence(yaml.Required(root, "cases", "a suite"), "cases");
        if (casesNode.Children.Count == 0)
        {
            throw yaml.Error(casesNode, "cases: a suite needs at least one case");
        }

        var cases = new List<SuiteCase>();
        var caseIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var caseNode in casesNode)
        {
            var suiteCase = Case(yaml, caseNode, useCase, suiteAssertions);
            if (!caseIds.Add(suiteCase.Id))
            {
                throw yaml.Error(SuiteYaml.Get((YamlMappingNode)caseNode, "id")!, $"id: the case id '{suiteCase.Id}' is used twice in the suite");
            }

            cases.Add(suiteCase);
        }

        var suite = new SuiteDefinition(
            suiteId,
            useCase.Id,
            yaml.OptionalString(root, "name"),
            yaml.OptionalString(root, "description"),
            passThreshold,
            defaults,
            [.. suiteAssertions.Select(a => a.Assertion)],
            cases,
            Convert.ToHexStringLower(SHA256.HashData(bytes)),
            path);
        return (suite, checked((int)idNode.Start.Line));
    }

    private static YamlMappingNode Parse(string path, byte[] bytes, SuiteYaml yaml)
    {
        string text;
        try
        {
            text = s_strictUtf8.GetString(bytes.AsSpan(bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0));
        }
        catch (DecoderFallbackException e)
        {
            throw new SuiteFormatException(path, 1, $"the file is not UTF-8 ({e.Message})");
        }

        var stream = new YamlStream();
        var parser = new Parser(new StringReader(text));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            var reason = e.Message.StartsWith(DuplicateKey, StringComparison.Ordinal)
                ? $"key '{e.Message[DuplicateKey.Length..]}' is given twice"
                : $"YAML syntax error: {e.Message}";
            throw yaml.Error(e.Start, reason);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet 18's scanner throws this, without a position, on some broken flow collections
            // ("key: [0.9" then more keys): the last event it read is the closest line we have.
            throw yaml.Error(parser.Current?.End ?? Mark.Empty, $"YAML syntax error at or after this line (the parser stopped: {e.Message})");
        }

        if (stream.Documents.Count == 0)
        {
            throw new SuiteFormatException(path, 1, "the file is empty; a suite needs suite, use_case, pass_threshold and cases");
        }

        if (stream.Documents.Count > 1)
        {
            throw yaml.Error(stream.Documents[1].RootNode, "a suite file holds one YAML document, not several");
        }

        return yaml.Mapping(stream.Documents[0].RootNode, "the suite");
    }

    private static SuiteDefaults Defaults(SuiteYaml yaml, YamlMappingNode root, UseCase useCase)
    {
        var format = useCase.Format == UseCaseFormat.Json ? "json" : "text";
        if (SuiteYaml.Get(root, "defaults") is not { } node)
        {
            return new SuiteDefaults(null, null, null, null, null, format, null, 1);
        }

        var map = yaml.Mapping(node, "defaults");
        yaml.CheckKeys(map, s_defaultKeys, "defaults");
        var responseFormat = yaml.OptionalString(map, "response_format") ?? format;
        if (responseFormat is not ("text" or "json"))
        {
            throw yaml.Error(SuiteYaml.Get(map, "response_format")!, $"response_format: '{responseFormat}' is not text or json");
        }

        string? schema = null;
        if (SuiteYaml.Get(map, "json_schema") is { } schemaNode && yaml.Text(schemaNode, "json_schema") is { } schemaText)
        {
            if (responseFormat != "json")
            {
                throw yaml.Error(schemaNode, "json_schema: only a json response_format takes a schema");
            }

            schema = ResolveSchema(yaml, schemaNode, schemaText, useCase, "json_schema");
            if (AssertionScorer.Problem(new Assertion("json-schema", Schema: schema)) is { } problem)
            {
                throw yaml.Error(schemaNode, problem.Replace("schema:", "json_schema:", StringComparison.Ordinal));
            }
        }

        return new SuiteDefaults(
            yaml.OptionalString(map, "system"),
            (int?)yaml.OptionalInteger(map, "max_tokens", 1, int.MaxValue),
            yaml.OptionalNumber(map, "temperature", 0, 2),
            yaml.OptionalNumber(map, "top_p", 0, 1, minExclusive: true),
            yaml.OptionalInteger(map, "seed", long.MinValue, long.MaxValue),
            responseFormat,
            schema,
            (int?)yaml.OptionalInteger(map, "repeats", 1, MaxRepeats) ?? 1);
    }

    private static SuiteCase Case(SuiteYaml yaml, YamlNode node, UseCase useCase, IReadOnlyList<ParsedAssertion> suiteAssertions)
    {
        var map = yaml.Mapping(node, "a case");
        yaml.CheckKeys(map, s_caseKeys, "a case");
        var id = yaml.RequiredString(map, "id", "a case");
        var input = SuiteYaml.Get(map, "input");
        var messagesNode = SuiteYaml.Get(map, "messages");
        var messages = (input, messagesNode) switch
        {
            (null, null) => throw yaml.Error(map, $"case '{id}' needs input or messages"),
            ({ }, { }) => throw yaml.Error(SuiteYaml.KeyNode(map, "messages")!, $"case '{id}' has both input and messages; give one"),
            ({ }, null) => [new SuiteMessage("user", NonEmpty(yaml, input, "input", id))],
            _ => Messages(yaml, messagesNode!, id),
        };
        var expected = yaml.OptionalString(map, "expected");

        var own = SuiteYaml.Get(map, "assertions") is { } list ? Assertions(yaml, list, useCase) : [];
        var resolved = new List<Assertion>();
        foreach (var (assertion, at, isOwn) in own.Select(a => (a, a.Node, true)).Concat(suiteAssertions.Select(a => (a, (YamlNode)map, false))))
        {
            var value = assertion.Assertion;
            if (value.Value is null && AssertionScorer.ReferenceTypes.Contains(AssertionScorer.BaseType(value.Type)))
            {
                value = value with { Value = expected ?? throw yaml.Error(at, $"case '{id}': {value.Type}{(isOwn ? "" : " (a suite assertion)")} has no value and the case has no expected") };
            }

            if (AssertionScorer.Problem(value) is { } problem)
            {
                throw yaml.Error(at, $"case '{id}': {problem}");
            }

            resolved.Add(value);
        }

        return new SuiteCase(
            id,
            yaml.OptionalString(map, "cluster"),
            SuiteYaml.Get(map, "tags") is { } tags ? yaml.StringList(tags, "tags") : [],
            messages,
            expected,
            AssertionNames.Assign(resolved));
    }

    private static List<SuiteMessage> Messages(SuiteYaml yaml, YamlNode node, string caseId)
    {
        var sequence = yaml.Sequence(node, "messages");
        if (sequence.Children.Count == 0)
        {
            throw yaml.Error(sequence, $"messages: case '{caseId}' needs at least one message");
        }

        var messages = new List<SuiteMessage>();
        foreach (var item in sequence)
        {
            var map = yaml.Mapping(item, "a message");
            yaml.CheckKeys(map, s_messageKeys, "a message");
            var role = yaml.RequiredString(map, "role", "a message");
            if (role is not ("user" or "assistant"))
            {
                throw yaml.Error(SuiteYaml.Get(map, "role")!, $"role: '{role}' is not user or assistant (the system text goes in defaults.system)");
            }

            messages.Add(new SuiteMessage(role, NonEmpty(yaml, yaml.Required(map, "text", "a message"), "text", caseId)));
        }

        return messages;
    }

    private static string NonEmpty(SuiteYaml yaml, YamlNode node, string key, string caseId) =>
        yaml.Text(node, key) is { } text && !string.IsNullOrWhiteSpace(text)
            ? text
            : throw yaml.Error(node, $"{key}: case '{caseId}' has an empty message text");

    private static List<ParsedAssertion> Assertions(SuiteYaml yaml, YamlNode node, UseCase useCase)
    {
        var list = new List<ParsedAssertion>();
        foreach (var item in yaml.Sequence(node, "assertions"))
        {
            list.Add(new ParsedAssertion(Assertion(yaml, yaml.Mapping(item, "an assertion"), useCase), item));
        }

        return list;
    }

    private static Assertion Assertion(SuiteYaml yaml, YamlMappingNode map, UseCase useCase)
    {
        yaml.CheckKeys(map, s_allAssertionKeys, "an assertion");
        var type = yaml.RequiredString(map, "type", "an assertion");
        var baseType = AssertionScorer.BaseType(type);
        if (!s_typeKeys.TryGetValue(baseType, out var typeKeys))
        {
            throw yaml.Error(SuiteYaml.Get(map, "type")!, AssertionScorer.Problem(new Assertion(type))!);
        }

        foreach (var key in map.Children.Keys.OfType<YamlScalarNode>())
        {
            if (!s_commonAssertionKeys.Contains(key.Value) && !typeKeys.Contains(key.Value))
            {
                throw yaml.Error(key, $"{key.Value}: {baseType} does not take {key.Value} (it takes {string.Join(", ", [.. s_commonAssertionKeys, .. typeKeys])})");
            }
        }

        var schemaNode = SuiteYaml.Get(map, "schema");
        var schemaText = schemaNode is null ? null : yaml.Text(schemaNode, "schema");
        var assertion = new Assertion(
            type,
            Value: SuiteYaml.Get(map, "value") is { } v ? yaml.Text(v, "value") : null,
            Values: SuiteYaml.Get(map, "values") is { } values ? yaml.StringList(values, "values") : null,
            Min: (int?)yaml.OptionalInteger(map, "min", 0, int.MaxValue),
            Max: (int?)yaml.OptionalInteger(map, "max", 0, int.MaxValue),
            Schema: schemaText is null ? null : ResolveSchema(yaml, schemaNode!, schemaText, useCase, "schema"),
            Threshold: yaml.OptionalNumber(map, "threshold", 0, 1) ?? 1.0,
            Weight: yaml.OptionalNumber(map, "weight", 0, double.MaxValue) ?? 1.0,
            Name: yaml.OptionalString(map, "name"),
            Path: yaml.OptionalString(map, "path"),
            MaxMs: yaml.OptionalNumber(map, "max_ms", 0, double.MaxValue, minExclusive: true),
            MaxUsd: yaml.OptionalDecimal(map, "max_usd"),
            Rubric: yaml.OptionalString(map, "rubric"),
            Judge: yaml.OptionalString(map, "judge"));

        var referenceWithoutValue = assertion.Value is null && AssertionScorer.ReferenceTypes.Contains(baseType);
        if (!referenceWithoutValue && AssertionScorer.Problem(assertion) is { } problem)
        {
            throw yaml.Error(ProblemNode(map, problem), problem);
        }

        return assertion;
    }

    /// <summary>The key a <see cref="AssertionScorer.Problem"/> names ("max_ms: …"), else the assertion.</summary>
    private static YamlNode ProblemNode(YamlMappingNode map, string problem)
    {
        var field = problem.Split(':', 2)[0];
        return SuiteYaml.KeyNode(map, field) ?? map;
    }

    private static string ResolveSchema(SuiteYaml yaml, YamlNode node, string text, UseCase useCase, string key) =>
        text != CatalogSchema
            ? text
            : useCase.JsonSchema ?? throw yaml.Error(node, $"{key}: use case '{useCase.Id}' has no catalog schema (it is {useCase.Format.ToString().ToLowerInvariant()})");

    private sealed record ParsedAssertion(Assertion Assertion, YamlNode Node);
}
