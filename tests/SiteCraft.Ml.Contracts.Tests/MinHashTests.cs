using SiteCraft.Ml.Contracts.Core.Curation;
using SiteCraft.Ml.Contracts.Core.Definitions;

namespace SiteCraft.Ml.Contracts.Tests;

public sealed class MinHashTests
{
    private static readonly MinHashSettings s_settings = TrainingContract.Contract.Curation.Dedup.Near;

    [Fact]
    public void Lsh_finds_at_least_95_percent_of_pairs_at_jaccard_0_8_and_above_and_at_most_1_percent_at_0_5_and_below()
    {
        var random = new Random(20250501);
        var vocabulary = Enumerable.Range(0, 5_000).Select(_ => RandomWord(random)).Distinct().ToArray();
        var hasher = new MinHasher(s_settings);
        int positives = 0, found = 0, negatives = 0, falsePositives = 0;

        for (var pair = 0; pair < 1_500; pair++)
        {
            var original = Enumerable.Range(0, 80 + random.Next(120)).Select(_ => vocabulary[random.Next(vocabulary.Length)]).ToList();
            // Half the pairs get a few edits (mostly above 0.8), half many (mostly below 0.5).
            var edits = pair % 2 == 0 ? random.Next(0, 4) : random.Next(6, 40);
            var variant = Edit(original, edits, vocabulary, random);
            var jaccard = ExactJaccard(original, variant);
            if (jaccard is > 0.5 and < 0.8)
            {
                continue;
            }

            var index = new NearDuplicateIndex(s_settings);
            index.Add("original", hasher.Signature(string.Join(' ', original))!);
            var isDuplicate = index.FindDuplicate(hasher.Signature(string.Join(' ', variant))) is not null;
            if (jaccard >= 0.8)
            {
                positives++;
                found += isDuplicate ? 1 : 0;
            }
            else
            {
                negatives++;
                falsePositives += isDuplicate ? 1 : 0;
            }
        }

        Assert.True(positives >= 300 && negatives >= 300, $"the labelled set is too small: {positives} positives, {negatives} negatives");
        Assert.True((double)found / positives >= 0.95, $"recall {found}/{positives}");
        Assert.True((double)falsePositives / negatives <= 0.01, $"false positives {falsePositives}/{negatives}");
    }

    [Fact]
    public void The_estimate_tracks_the_true_jaccard_similarity()
    {
        var random = new Random(7);
        var vocabulary = Enumerable.Range(0, 2_000).Select(_ => RandomWord(random)).Distinct().ToArray();
        var hasher = new MinHasher(s_settings);
        var original = Enumerable.Range(0, 300).Select(_ => vocabulary[random.Next(vocabulary.Length)]).ToList();
        var variant = Edit(original, 10, vocabulary, random);

        var estimate = MinHasher.EstimateJaccard(hasher.Signature(string.Join(' ', original)), hasher.Signature(string.Join(' ', variant)));

        // Four standard errors of a 128-hash estimate.
        Assert.InRange(estimate, ExactJaccard(original, variant) - 0.18, ExactJaccard(original, variant) + 0.18);
    }

    [Fact]
    public void Signatures_depend_only_on_the_seed_and_the_words()
    {
        var text = "Fresh bread every morning from our wood-fired oven in Lyon.";

        var first = new MinHasher(s_settings).Signature(text)!;
        var again = new MinHasher(s_settings).Signature("FRESH bread, every morning — from our wood fired oven in LYON!")!;
        var reseeded = new MinHasher(s_settings with { Seed = 42 }).Signature(text)!;

        Assert.Equal(first, again);
        Assert.NotEqual(first, reseeded);
    }

    [Fact]
    public void Text_without_words_has_no_signature_and_short_text_has_one()
    {
        var hasher = new MinHasher(s_settings);

        Assert.Null(hasher.Signature(" -- !! "));
        Assert.NotNull(hasher.Signature("Two words"));
    }

    [Fact]
    public void The_index_names_the_most_similar_record()
    {
        var hasher = new MinHasher(s_settings);
        var index = new NearDuplicateIndex(s_settings);
        var text = TrainingRecords.Prose(1, 200);
        index.Add("unrelated", hasher.Signature(TrainingRecords.Prose(2, 200))!);
        index.Add("original", hasher.Signature(text)!);

        var match = index.FindDuplicate(hasher.Signature(text + " One more sentence at the end."));

        Assert.Equal("original", match!.Value.Id);
        Assert.InRange(match.Value.Similarity, 0.9, 1.0);
        Assert.Null(index.FindDuplicate(hasher.Signature(TrainingRecords.Prose(3, 200))));
    }

    private static string RandomWord(Random random)
    {
        Span<char> chars = stackalloc char[random.Next(3, 10)];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = (char)('a' + random.Next(26));
        }

        return new string(chars);
    }

    /// <summary>Substitutions, insertions and deletions at random places.</summary>
    private static List<string> Edit(List<string> words, int edits, string[] vocabulary, Random random)
    {
        var copy = words.ToList();
        for (var i = 0; i < edits; i++)
        {
            var at = random.Next(copy.Count);
            switch (random.Next(3))
            {
                case 0:
                    copy[at] = vocabulary[random.Next(vocabulary.Length)];
                    break;
                case 1:
                    copy.Insert(at, vocabulary[random.Next(vocabulary.Length)]);
                    break;
                default:
                    copy.RemoveAt(at);
                    break;
            }
        }

        return copy;
    }

    /// <summary>Jaccard similarity of the two word 5-gram sets, computed exactly on the strings.</summary>
    private static double ExactJaccard(List<string> a, List<string> b)
    {
        var left = Shingles(a);
        var right = Shingles(b);
        var intersection = left.Count(right.Contains);
        return (double)intersection / (left.Count + right.Count - intersection);
    }

    private static HashSet<string> Shingles(List<string> words) =>
        Enumerable.Range(0, words.Count - 4).Select(i => string.Join(' ', words.Skip(i).Take(5))).ToHashSet(StringComparer.Ordinal);
}
