using System.Text.Json.Nodes;
using SiteCraft.Ml.Evals.Core.Scoring;

namespace SiteCraft.Ml.Evals.Core.Suites;

/// <summary>A loaded, checked suite file (see docs/evals/README.md), keyed by (SuiteId, ContentHash).</summary>
/// <param name="SuiteId">The suite id, [a-z0-9][a-z0-9.-]*, unique across files.</param>
/// <param name="UseCase">A use case of the catalog.</param>
/// <param name="Name">Display name.</param>
/// <param name="Description">What the suite checks.</param>
/// <param name="PassThreshold">The pass rate at or above which the suite passes, in [0, 1].</param>
/// <param name="Defaults">Generation parameters for every case.</param>
/// <param name="Assertions">The suite-level assertions as written, schemas resolved; a reference type without value takes each case's expected (see <see cref="SuiteCase.Assertions"/>).</param>
/// <param name="Cases">The cases, in file order.</param>
/// <param name="ContentHash">Lower-case hex SHA-256 of the file's bytes.</param>
/// <param name="SourcePath">The file it was loaded from.</param>
public sealed record SuiteDefinition(
    string SuiteId,
    string UseCase,
    string? Name,
    string? Description,
    double PassThreshold,
    SuiteDefaults Defaults,
    IReadOnlyList<Assertion> Assertions,
    IReadOnlyList<SuiteCase> Cases,
    string ContentHash,
    string SourcePath)
{
    /// <summary>Everything but the cases, with the file's key names (ai_eval_suites.definition).</summary>
    public JsonObject ToDefinitionJson() => new()
    {
        ["suite"] = SuiteId,
        ["use_case"] = UseCase,
        ["name"] = Name,
        ["description"] = Description,
        ["pass_threshold"] = PassThreshold,
        ["defaults"] = Defaults.ToJson(),
        ["assertions"] = new JsonArray([.. Assertions.Select(AssertionJson)]),
    };

    /// <summary>An assertion with the file's key names; absent fields are left out.</summary>
    public static JsonObject AssertionJson(Assertion assertion)
    {
        var json = new JsonObject { ["type"] = assertion.Type };
        Add(json, "name", assertion.Name);
        json["weight"] = assertion.Weight;
        json["threshold"] = assertion.Threshold;
        Add(json, "path", assertion.Path);
        Add(json, "value", assertion.Value);
        if (assertion.Values is { } values)
        {
            json["values"] = new JsonArray([.. values.Select(v => (JsonNode?)v)]);
        }

        Add(json, "min", assertion.Min);
        Add(json, "max", assertion.Max);
        Add(json, "schema", assertion.Schema);
        Add(json, "max_ms", assertion.MaxMs);
        Add(json, "max_usd", assertion.MaxUsd);
        Add(json, "rubric", assertion.Rubric);
        Add(json, "judge", assertion.Judge);
        return json;
    }

    private static void Add(JsonObject json, string key, JsonNode? value)
    {
        if (value is not null)
        {
            json[key] = value;
        }
    }
}
