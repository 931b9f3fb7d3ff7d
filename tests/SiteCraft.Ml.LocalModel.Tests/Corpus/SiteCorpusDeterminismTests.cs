using SiteCraft.Ml.Training.Corpus;

namespace SiteCraft.Ml.LocalModel.Tests.Corpus;

public sealed class SiteCorpusDeterminismTests
{
    [Fact]
    public void The_same_seed_gives_byte_identical_jsonl()
    {
        Assert.Equal(Jsonl(seed: 7, briefCount: 50), Jsonl(seed: 7, briefCount: 50));
    }

    [Fact]
    public void Example_k_is_the_same_whether_10_or_100_briefs_are_generated()
    {
        var few = SiteCorpus.Generate(seed: 7, briefCount: 10).ToList();
        var many = SiteCorpus.Generate(seed: 7, briefCount: 100).ToList();

        Assert.Equal(40, few.Count);
        Assert.Equal(400, many.Count);
        Assert.Equal(Jsonl(few), Jsonl(many.Take(few.Count)));
    }

    [Fact]
    public void A_different_seed_gives_different_briefs_and_completions()
    {
        var seven = SiteCorpus.Generate(seed: 7, briefCount: 50).ToList();
        var eight = SiteCorpus.Generate(seed: 8, briefCount: 50).ToList();

        var same = seven.Zip(eight).Count(pair => pair.First.Completion == pair.Second.Completion);
        Assert.True(same < seven.Count / 10, $"{same} of {seven.Count} completions are the same for seeds 7 and 8");
    }

    [Fact]
    public void Generation_is_lazy_so_taking_a_few_examples_of_a_huge_corpus_is_cheap()
    {
        var first = SiteCorpus.Generate(seed: 7, briefCount: int.MaxValue).Take(4);

        Assert.Equal(Jsonl(seed: 7, briefCount: 1), Jsonl(first));
    }

    [Fact]
    public void Held_out_briefs_are_the_same_for_the_same_seed()
    {
        Assert.Equal(SiteCorpus.HeldOutBriefs(3, 20).Select(b => b.ToPromptText()), SiteCorpus.HeldOutBriefs(3, 20).Select(b => b.ToPromptText()));
    }

    private static byte[] Jsonl(int seed, int briefCount) => Jsonl(SiteCorpus.Generate(seed, briefCount));

    private static byte[] Jsonl(IEnumerable<CorpusExample> examples)
    {
        using var buffer = new MemoryStream();
        SiteCorpus.WriteJsonl(examples, buffer);
        return buffer.ToArray();
    }
}
