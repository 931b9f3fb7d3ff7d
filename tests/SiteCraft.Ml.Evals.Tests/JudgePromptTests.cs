using SiteCraft.Ml.Evals.Core.Scoring;

namespace SiteCraft.Ml.Evals.Tests;

/// <summary>The judge's conversation and the reading of its answer.</summary>
public sealed class JudgePromptTests
{
    [Fact]
    public void The_prompt_asks_for_only_a_json_verdict_and_carries_rubric_input_output_and_reference()
    {
        var messages = JudgePrompt.Build("Names the city?", "Business: bakery, Lyon", "Fresh bread in Lyon", "Bakery in Lyon");

        Assert.Equal(["system", "user"], messages.Select(m => m.Role));
        Assert.Contains("ONLY a JSON object", messages[0].Text, StringComparison.Ordinal);
        Assert.Contains("{\"score\": <a number from 0 to 1>, \"reason\": \"<one sentence>\"}", messages[0].Text, StringComparison.Ordinal);
        Assert.Contains("Rubric:\nNames the city?", messages[1].Text, StringComparison.Ordinal);
        Assert.Contains("<input>\nBusiness: bakery, Lyon\n</input>", messages[1].Text, StringComparison.Ordinal);
        Assert.Contains("<output>\nFresh bread in Lyon\n</output>", messages[1].Text, StringComparison.Ordinal);
        Assert.Contains("<reference>\nBakery in Lyon\n</reference>", messages[1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_reference_the_prompt_has_no_reference_section()
    {
        var messages = JudgePrompt.Build("Kind?", "in", "out", null);

        Assert.DoesNotContain("<reference>", messages[1].Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"score\": 0.8, \"reason\": \"names Lyon\"}", 0.8, "names Lyon")]
    [InlineData("Here is my grade:\n```json\n{\"score\": 1, \"reason\": \"all {good}\"}\n```", 1.0, "all {good}")]
    [InlineData("I think { this is } fine. {\"verdict\": true} {\"score\": 0, \"reason\": \"off topic\"}", 0.0, "off topic")]
    [InlineData("{\"result\": {\"score\": 0.25, \"reason\": \"nested\"}}", 0.25, "nested")]
    [InlineData("{\"score\": 0.5}", 0.5, "")]
    public void A_verdict_is_read_from_the_answer(string answer, double score, string reason)
    {
        Assert.True(JudgePrompt.TryParse(answer, out var verdict, out var problem), problem);
        Assert.Equal(new JudgeVerdict(score, reason), verdict);
    }

    [Theory]
    [InlineData("{\"score\": 1.5, \"reason\": \"very good\"}", "score: 1.5 is outside [0, 1]")]
    [InlineData("{\"score\": -0.1, \"reason\": \"bad\"}", "score: -0.1 is outside [0, 1]")]
    [InlineData("{\"score\": \"high\", \"reason\": \"good\"}", "score: \"high\" is not a number")]
    [InlineData("The output is good.", "the judge's answer holds no JSON object with a \"score\"")]
    [InlineData("{\"score\": 0.5", "the judge's answer holds no JSON object with a \"score\"")]
    [InlineData("", "the judge's answer holds no JSON object with a \"score\"")]
    public void An_answer_without_a_usable_verdict_names_the_problem(string answer, string expected)
    {
        Assert.False(JudgePrompt.TryParse(answer, out var verdict, out var problem));
        Assert.Null(verdict);
        Assert.Equal(expected, problem);
    }

    [Fact]
    public void Hostile_answers_are_read_without_throwing()
    {
        string[] answers = [new string('{', 200_000), "\ud800{\"score\":0.5}", "{\"score\":0.5,\"reason\":\"\\ud800\"}", string.Concat(Enumerable.Repeat("{\"a\":1}", 10_000))];

        foreach (var answer in answers)
        {
            var parsed = JudgePrompt.TryParse(answer, out var verdict, out var problem);
            Assert.True(parsed ? verdict is not null : problem is not null);
        }
    }
}
