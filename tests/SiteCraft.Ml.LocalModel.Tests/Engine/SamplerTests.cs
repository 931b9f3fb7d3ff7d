using SiteCraft.Ml.LocalModel.Engine;

namespace SiteCraft.Ml.LocalModel.Tests.Engine;

public sealed class SamplerTests
{
    [Fact]
    public void Greedy_sampling_picks_the_argmax_and_the_lowest_id_on_ties()
    {
        var sampler = new Sampler(new SamplingOptions { Temperature = 0 });

        Assert.Equal(2, sampler.Next([0.1f, 0.5f, 3f, -1f]));
        Assert.Equal(1, sampler.Next([0f, 7f, 7f, 7f]));
    }

    [Fact]
    public void The_same_seed_gives_the_same_sequence()
    {
        var logits = Enumerable.Range(0, 64).Select(i => MathF.Sin(i) * 2).ToArray();
        int[] Draw(long seed)
        {
            var sampler = new Sampler(new SamplingOptions { Temperature = 1, TopP = 0.9f, TopK = 40, Seed = seed });
            return [.. Enumerable.Range(0, 50).Select(_ => sampler.Next(logits))];
        }

        Assert.Equal(Draw(42), Draw(42));
        Assert.NotEqual(Draw(42), Draw(43));
        Assert.True(Draw(42).Distinct().Count() > 3);
    }

    [Fact]
    public void Top_p_never_picks_outside_the_nucleus()
    {
        // Probabilities 0.4, 0.3, 0.2, 0.1: the nucleus for 0.5 is {0, 1} (0.4 < 0.5 ≤ 0.7).
        float[] logits = [MathF.Log(0.4f), MathF.Log(0.3f), MathF.Log(0.2f), MathF.Log(0.1f)];
        var sampler = new Sampler(new SamplingOptions { Temperature = 1, TopP = 0.5f, Seed = 1 });

        var drawn = Enumerable.Range(0, 2000).Select(_ => sampler.Next(logits)).ToList();

        Assert.All(drawn, token => Assert.InRange(token, 0, 1));
        Assert.InRange(drawn.Count(t => t == 0) / 2000.0, 0.5, 0.64);
    }

    [Fact]
    public void Top_k_keeps_only_the_k_most_likely_tokens()
    {
        float[] logits = [0f, 3f, 1f, 2.9f, -5f];
        var sampler = new Sampler(new SamplingOptions { Temperature = 2, TopK = 2, Seed = 9 });

        var drawn = Enumerable.Range(0, 1000).Select(_ => sampler.Next(logits)).ToHashSet();

        Assert.Equal([1, 3], drawn.Order());
    }

    [Fact]
    public void Sampling_at_temperature_one_follows_the_softmax()
    {
        float[] logits = [0f, MathF.Log(3f)];
        var sampler = new Sampler(new SamplingOptions { Temperature = 1, Seed = 5 });

        var ones = Enumerable.Range(0, 4000).Count(_ => sampler.Next(logits) == 1);

        Assert.InRange(ones / 4000.0, 0.72, 0.78);
    }

    [Theory]
    [InlineData(-0.1f, 1f, 0, 10, "temperature", "temperature must be between 0 and 2")]
    [InlineData(2.5f, 1f, 0, 10, "temperature", "temperature must be between 0 and 2")]
    [InlineData(1f, 0f, 0, 10, "top_p", "top_p must be in (0, 1]")]
    [InlineData(1f, 1.5f, 0, 10, "top_p", "top_p must be in (0, 1]")]
    [InlineData(1f, 1f, -1, 10, "top_k", "top_k must be at least 0")]
    [InlineData(1f, 1f, 0, 0, "max_tokens", "max_tokens must be at least 1")]
    public void Invalid_options_throw_naming_the_field(float temperature, float topP, int topK, int maxTokens, string field, string message)
    {
        var options = new SamplingOptions { Temperature = temperature, TopP = topP, TopK = topK, MaxTokens = maxTokens };

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Equal(field, error.ParamName);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
