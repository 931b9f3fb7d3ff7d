using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using SiteCraft.Ml.Evals.Core.Scoring;
using SiteCraft.Ml.Evals.Core.Suites;

namespace SiteCraft.Ml.Benchmarks.Evals;

/// <summary>One output to score: the case it answers, the text, and its measurements.</summary>
public sealed record BenchOutput(SuiteCase Case, int Repeat, string Text, SampleMeasurements Measurements);

/// <summary>
/// Outputs built deterministically from a suite's <c>expected</c> texts: the cases in turn, about half
/// of them verbatim and the rest changed the way a small model gets things wrong (words dropped or
/// shuffled, cut off at max_tokens, a title too long, a field or the business name missing, filler
/// text), so every assertion sees passes and failures.
/// </summary>
public static class EvalOutputs
{
    private const string Filler = "Lorem ipsum dolor sit amet.";

    // Perturbed JSON keeps "&" and non-ASCII as written, as a model writes them, not as \u0026.
    private static readonly JsonSerializerOptions s_json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary><paramref name="count"/> outputs for the suite's cases in turn; the same seed gives the same outputs.</summary>
    public static IReadOnlyList<BenchOutput> For(SuiteDefinition suite, int count, int seed)
    {
        var random = new Random(seed);
        var json = suite.Defaults.ResponseFormat == "json";
        var outputs = new List<BenchOutput>(count);
        for (var i = 0; i < count; i++)
        {
            var suiteCase = suite.Cases[i % suite.Cases.Count];
            var expected = suiteCase.Expected ?? throw new InvalidOperationException($"case {suiteCase.Id} of {suite.SuiteId} has no expected text");
            var text = json ? PerturbJson(expected, BusinessName(suiteCase), random) : PerturbText(expected, random);
            outputs.Add(new BenchOutput(suiteCase, i / suite.Cases.Count, text, Measurements(random)));
        }

        return outputs;
    }

    /// <summary>
    /// The page suite's references rendered as HTML sections, most well formed, some with a missing
    /// end tag, a stray or mismatched one, or cut off, for the html assertion.
    /// </summary>
    public static IReadOnlyList<BenchOutput> Html(SuiteDefinition pageSuite, int count, int seed)
    {
        var random = new Random(seed);
        var outputs = new List<BenchOutput>(count);
        for (var i = 0; i < count; i++)
        {
            var suiteCase = pageSuite.Cases[i % pageSuite.Cases.Count];
            var html = RenderHtml(suiteCase.Expected!);
            var roll = random.Next(100);
            html = roll switch
            {
                < 70 => html,
                < 80 => ReplaceOnce(html, "</p>", ""),
                < 85 => html.Replace("</section>", "</div></section>", StringComparison.Ordinal),
                < 90 => ReplaceOnce(html, "</h2>", "</h3>"),
                _ => html[..(int)(html.Length * (0.3 + (random.NextDouble() * 0.6)))],
            };
            outputs.Add(new BenchOutput(suiteCase, i / pageSuite.Cases.Count, html, Measurements(random)));
        }

        return outputs;
    }

    /// <summary>The value of the case's business-name assertion, which the shipped JSON suites carry.</summary>
    public static string? BusinessName(SuiteCase suiteCase) =>
        suiteCase.Assertions.FirstOrDefault(a => a.Name == "business-name")?.Value;

    private static string PerturbText(string expected, Random random)
    {
        var roll = random.Next(100);
        return roll switch
        {
            < 50 => expected,
            < 65 => DropWords(expected, random),
            < 80 => ShuffleWords(expected, random),
            < 90 => expected[..Math.Max(1, (int)(expected.Length * (0.1 + (random.NextDouble() * 0.8))))],
            < 95 => $"{Filler} {expected}",
            _ => JsonSerializer.Serialize(new { text = expected }, s_json),
        };
    }

    private static string PerturbJson(string expected, string? businessName, Random random)
    {
        var roll = random.Next(100);
        if (roll < 50)
        {
            return expected;
        }

        if (roll is >= 75 and < 85)
        {
            // Cut off mid-object, as a generation that hit max_tokens is.
            return expected[..(int)(expected.Length * (0.5 + (random.NextDouble() * 0.45)))];
        }

        var root = JsonNode.Parse(expected)!.AsObject();
        switch (roll)
        {
            case < 65:
                MapStrings(root, s => DropWords(s, random));
                break;
            case < 75:
                MapStrings(root, s => ShuffleWords(s, random));
                break;
            case < 90:
                root["title"] = $"{root["title"]?.GetValue<string>()} | {businessName} | Trusted by locals since 1998";
                break;
            case < 95:
                // A required field missing: the schema fails, the text still parses.
                root.Remove(root.ContainsKey("sections") ? "sections" : "description");
                break;
            default:
                if (businessName is not null)
                {
                    MapStrings(root, s => s.Replace(businessName, "Our business", StringComparison.Ordinal));
                }

                break;
        }

        return root.ToJsonString(s_json);
    }

    private static void MapStrings(JsonNode node, Func<string, string> change)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    if (obj[key] is JsonValue value && value.TryGetValue<string>(out var text))
                    {
                        // type and href are identifiers, not prose: changing them would break the schema, not the copy.
                        obj[key] = key is "type" or "href" or "language" ? text : change(text);
                    }
                    else if (obj[key] is { } child)
                    {
                        MapStrings(child, change);
                    }
                }

                break;
            case JsonArray array:
                foreach (var child in array.OfType<JsonNode>())
                {
                    MapStrings(child, change);
                }

                break;
        }
    }

    private static string DropWords(string text, Random random)
    {
        var words = text.Split(' ');
        var every = random.Next(3, 7);
        return string.Join(' ', words.Where((_, i) => words.Length < 3 || i % every != every - 1));
    }

    private static string ShuffleWords(string text, Random random)
    {
        var words = text.Split(' ');
        random.Shuffle(words);
        return string.Join(' ', words);
    }

    private static string ReplaceOnce(string text, string find, string replacement)
    {
        var at = text.IndexOf(find, StringComparison.Ordinal);
        return at < 0 ? text : string.Concat(text.AsSpan(0, at), replacement, text.AsSpan(at + find.Length));
    }

    private static SampleMeasurements Measurements(Random random) =>
        new(200 + (random.NextDouble() * 3000), Math.Round((decimal)random.NextDouble() * 0.004m, 6));

    private static string RenderHtml(string pageJson)
    {
        var page = JsonNode.Parse(pageJson)!;
        var html = new StringBuilder();
        html.Append("<main><h1>").Append(WebUtility.HtmlEncode(page["title"]?.GetValue<string>())).Append("</h1>");
        foreach (var section in page["sections"]?.AsArray() ?? [])
        {
            html.Append("<section class=\"").Append(section!["type"]?.GetValue<string>()).Append("\">");
            html.Append("<h2>").Append(WebUtility.HtmlEncode(section["heading"]?.GetValue<string>())).Append("</h2>");
            html.Append("<p>").Append(WebUtility.HtmlEncode(section["body"]?.GetValue<string>())).Append("</p>");
            if (section["cta"] is { } cta)
            {
                html.Append("<a class=\"button\" href=\"").Append(WebUtility.HtmlEncode(cta["href"]?.GetValue<string>())).Append("\">")
                    .Append(WebUtility.HtmlEncode(cta["label"]?.GetValue<string>())).Append("</a>");
            }

            html.Append("<br/></section>");
        }

        return html.Append("</main>").ToString();
    }
}
