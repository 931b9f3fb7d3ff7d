using CsCheck;
using SiteCraft.Ml.Evals.Core.Scoring;

namespace SiteCraft.Ml.Evals.Tests;

/// <summary>The bit-parallel LCS behind ROUGE-L against the textbook dynamic programme.</summary>
public sealed class LongestCommonSubsequenceTests
{
    [Theory]
    [InlineData("a b c d", "a c d", 3)]
    [InlineData("a b c", "d e f", 0)]
    [InlineData("a a a", "a", 1)]
    [InlineData("x a y b z c", "a b c", 3)]
    public void Small_cases_have_their_known_length(string candidate, string reference, int expected) =>
        Assert.Equal(expected, TextSimilarity.LongestCommonSubsequence(candidate.Split(' '), reference.Split(' ')));

    [Fact]
    public void It_equals_the_dynamic_programme_for_sequences_across_word_boundaries()
    {
        // A small alphabet makes many matches; lengths up to 200 cross the 64- and 128-bit boundaries.
        var words = Gen.Int[0, 5].Select(i => ((char)('a' + i)).ToString()).Array[0, 200];
        Gen.Select(words, words).Sample((candidate, reference) =>
            TextSimilarity.LongestCommonSubsequence(candidate, reference) == Textbook(candidate, reference), iter: 2_000);
    }

    [Fact]
    public void Rouge_l_equals_the_f1_of_the_textbook_lcs_over_the_word_tokens()
    {
        // Mixed case, punctuation and digits: RougeL's own tokenizer must agree with Tokens.
        string[] parts = ["Rosa", "rosa", "BAKERY", "bakery,", "in", "Lisbon.", "2026", "{\"title\":", "é", "Éclair", " ", "-"];
        var text = Gen.Int[0, parts.Length - 1].Select(i => parts[i]).Array[0, 90]
            .Select(words => string.Join(' ', words));
        Gen.Select(text, text).Sample((candidate, reference) =>
        {
            var c = TextSimilarity.Tokens(candidate).ToArray();
            var r = TextSimilarity.Tokens(reference).ToArray();
            var lcs = Textbook(c, r);
            var expected = c.Length == 0 || r.Length == 0 ? (c.Length == r.Length ? 1 : 0)
                : lcs == 0 ? 0 : 2.0 * lcs / c.Length * lcs / r.Length / ((double)lcs / c.Length + (double)lcs / r.Length);
            return Math.Abs(TextSimilarity.RougeL(candidate, reference) - expected) < 1e-12;
        }, iter: 2_000);
    }

    private static int Textbook(string[] c, string[] r)
    {
        var table = new int[c.Length + 1, r.Length + 1];
        for (var i = 1; i <= c.Length; i++)
        {
            for (var j = 1; j <= r.Length; j++)
            {
                table[i, j] = c[i - 1] == r[j - 1] ? table[i - 1, j - 1] + 1 : Math.Max(table[i - 1, j], table[i, j - 1]);
            }
        }

        return table[c.Length, r.Length];
    }
}
