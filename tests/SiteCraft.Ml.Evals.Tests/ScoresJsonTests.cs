using System.Text.Json;
using SiteCraft.Ml.Evals.Core.Reports;
using SiteCraft.Ml.Evals.Core.Scoring;

namespace SiteCraft.Ml.Evals.Tests;

/// <summary>Assertion results as jsonb-safe JSON.</summary>
public sealed class ScoresJsonTests
{
    [Fact]
    public void Scores_serialize_as_an_object_by_name_and_read_back_equal()
    {
        var scores = new Dictionary<string, AssertionResult>
        {
            ["length"] = new("length", false, 0.25, "length 80 is outside [0, 60]"),
            ["is-json"] = new("is-json", true, 1, "is JSON"),
            ["quote's \"and\" \\slash"] = new("contains", true, 1, "contains '$$' and $tag$ and 😀"),
        };

        var json = ScoresJson.Serialize(scores);
        var back = ScoresJson.Deserialize(json);

        Assert.StartsWith("{\"is-json\":{\"type\":\"is-json\",\"passed\":true,\"score\":1,\"reason\":\"is JSON\"}", json, StringComparison.Ordinal);
        Assert.Equal(scores.OrderBy(s => s.Key, StringComparer.Ordinal), back.OrderBy(s => s.Key, StringComparer.Ordinal));
        Assert.Equal(0.25, back["length"].Score);
    }

    [Fact]
    public void Nul_and_lone_surrogates_become_replacement_characters_so_jsonb_accepts_them()
    {
        var scores = new Dictionary<string, AssertionResult>
        {
            ["name\0x"] = new("equals", false, 0, "differs at \0 and \uD800 here, 😀 kept"),
        };

        var json = ScoresJson.Serialize(scores);

        Assert.DoesNotContain("\\u0000", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\\uD800", json, StringComparison.OrdinalIgnoreCase);
        var back = Assert.Single(ScoresJson.Deserialize(json));
        Assert.Equal("name\uFFFDx", back.Key);
        Assert.Equal("differs at \uFFFD and \uFFFD here, 😀 kept", back.Value.Reason);
    }

    [Fact]
    public void An_empty_result_set_is_an_empty_object()
    {
        Assert.Equal("{}", ScoresJson.Serialize(new Dictionary<string, AssertionResult>()));
        Assert.Empty(ScoresJson.Deserialize("{}"));
        Assert.Throws<JsonException>(() => ScoresJson.Deserialize("[]"));
    }
}
