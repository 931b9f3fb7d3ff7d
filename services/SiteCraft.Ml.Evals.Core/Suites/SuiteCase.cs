using System.Text.Json.Nodes;
using SiteCraft.Ml.Evals.Core.Scoring;

namespace SiteCraft.Ml.Evals.Core.Suites;

/// <summary>One case of a suite (a row of ai_eval_cases).</summary>
/// <param name="Id">Unique in the suite.</param>
/// <param name="Cluster">Cases from the same brief share a cluster, for clustered standard errors.</param>
/// <param name="Tags">Free labels for slicing results.</param>
/// <param name="Messages">The conversation to answer: one user message for <c>input</c>, or the <c>messages</c> as written.</param>
/// <param name="Expected">The reference output, when the case has one.</param>
/// <param name="Assertions">The case's own assertions then the suite's, named, with <c>schema: catalog</c> and default values resolved.</param>
public sealed record SuiteCase(
    string Id,
    string? Cluster,
    IReadOnlyList<string> Tags,
    IReadOnlyList<SuiteMessage> Messages,
    string? Expected,
    IReadOnlyList<Assertion> Assertions)
{
    /// <summary>The input as ai_eval_cases.input stores it: <c>{"messages": [{"role": ..., "text": ...}]}</c>.</summary>
    public JsonObject ToInputJson() => new()
    {
        ["messages"] = new JsonArray([.. Messages.Select(m => new JsonObject { ["role"] = m.Role, ["text"] = m.Text })]),
    };
}
