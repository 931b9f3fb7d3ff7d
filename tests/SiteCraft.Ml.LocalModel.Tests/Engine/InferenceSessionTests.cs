using SiteCraft.Ml.LocalModel.Engine;

namespace SiteCraft.Ml.LocalModel.Tests.Engine;

public sealed class InferenceSessionTests
{
    public static TheoryData<bool, int, int> Variants => new()
    {
        { true, 2, 1 },
        { false, 2, 1 },
        { true, 4, 1 },
        { false, 4, 1 },
        { true, 2, 2 },
        { false, 4, 2 },
        { true, 1, 2 },
    };

    [Fact]
    public void Decoding_token_by_token_gives_the_last_row_of_a_full_forward_pass()
    {
        var model = TinyModels.Model(TinyModels.Config());
        var tokens = TinyModels.Tokens(20, 50);
        using var session = model.CreateSession();

        var all = session.ForwardAll(tokens);
        session.Reset();
        var logits = session.Prefill(tokens.AsSpan(0, 1)).ToArray();
        for (var i = 1; i < tokens.Length; i++)
        {
            logits = session.Next(tokens[i]).ToArray();
        }

        Assert.Equal(tokens.Length, session.Position);
        AssertClose(all.AsSpan((tokens.Length - 1) * 50, 50), logits, 1e-5);
    }

    [Fact]
    public void Prefill_of_a_prompt_equals_feeding_it_one_token_at_a_time()
    {
        var model = TinyModels.Model(TinyModels.Config());
        var tokens = TinyModels.Tokens(12, 50);
        using var batch = model.CreateSession();
        using var single = model.CreateSession();

        var prefilled = batch.Prefill(tokens).ToArray();
        float[] stepped = [];
        foreach (var token in tokens)
        {
            stepped = single.Next(token).ToArray();
        }

        AssertClose(prefilled, stepped, 1e-6);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void The_fast_path_equals_the_scalar_forward(bool tied, int keyValueHeads, int threads)
    {
        var model = TinyModels.Model(TinyModels.Config(tied, keyValueHeads), threads);
        var tokens = TinyModels.Tokens(24, 50);
        using var session = model.CreateSession();

        var fast = session.ForwardAll(tokens);
        var scalar = new ScalarLlamaForward(model).ForwardAll(tokens);

        AssertClose(scalar, fast, 1e-4);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void The_forward_pass_equals_a_naive_reference_with_hf_rotate_half(bool tied, int keyValueHeads, int threads)
    {
        var config = TinyModels.Config(tied, keyValueHeads);
        var tensors = TinyModels.Tensors(config);
        var model = LlamaModel.FromTensors(config, tensors, new EngineOptions { Threads = threads });
        var tokens = TinyModels.Tokens(16, 50);
        using var session = model.CreateSession();

        var fast = session.ForwardAll(tokens);
        var reference = NaiveLlama.Logits(config, tensors, tokens).SelectMany(row => row).Select(v => (float)v).ToArray();

        AssertClose(reference, fast, 1e-4);
    }

    [Fact]
    public void The_fast_path_equals_the_scalar_forward_at_the_benchmark_width_with_threads()
    {
        // Rows not divisible by 4 or the thread count and columns not divisible by 16 take every tail of the kernel.
        var config = TinyModels.Config() with { VocabSize = 301, HiddenSize = 75, IntermediateSize = 150, HeadDim = 18, NumAttentionHeads = 4, NumKeyValueHeads = 2 };
        var model = LlamaModel.FromTensors(config, LlamaModel.RandomTensors(config, 5, 0.1f), new EngineOptions { Threads = 3 });
        var tokens = TinyModels.Tokens(10, 301);
        using var session = model.CreateSession();

        AssertClose(new ScalarLlamaForward(model).ForwardAll(tokens), session.ForwardAll(tokens), 1e-4);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Heads_of_vector_width_take_the_simd_attention_and_still_match_the_naive_reference(int threads)
    {
        // head_dim 16 runs the Vector256 attention kernel; the tiny model's head_dim 4 runs the fallback.
        var config = TinyModels.Config() with { HeadDim = 16 };
        var tensors = TinyModels.Tensors(config);
        var model = LlamaModel.FromTensors(config, tensors, new EngineOptions { Threads = threads });
        var tokens = TinyModels.Tokens(16, 50);
        using var session = model.CreateSession();

        var fast = session.ForwardAll(tokens);
        var reference = NaiveLlama.Logits(config, tensors, tokens).SelectMany(row => row).Select(v => (float)v).ToArray();

        AssertClose(reference, fast, 1e-4);
        AssertClose(new ScalarLlamaForward(model).ForwardAll(tokens), fast, 1e-4);
    }

    [Fact]
    public void The_kv_cache_grows_past_its_first_chunk_without_changing_the_logits()
    {
        var config = TinyModels.Config(context: 300) with { HeadDim = 8 };
        var model = TinyModels.Model(config);
        var tokens = TinyModels.Tokens(270, 50);
        using var session = model.CreateSession();

        var fast = session.ForwardAll(tokens);
        var scalar = new ScalarLlamaForward(model).ForwardAll(tokens);

        AssertClose(scalar.AsSpan(269 * 50), fast.AsSpan(269 * 50), 1e-4);
    }

    [Fact]
    public void Going_past_the_context_limit_throws_with_the_limit()
    {
        var model = TinyModels.Model(TinyModels.Config(context: 8));
        using var session = model.CreateSession();
        session.Prefill(TinyModels.Tokens(8, 50));

        var error = Assert.Throws<ContextLengthExceededException>(() => session.Next(1));

        Assert.Equal(8, error.Limit);
        Assert.Equal(9, error.Requested);
        Assert.Contains("8", error.Message, StringComparison.Ordinal);
        Assert.Equal(8, session.Position);
    }

    [Fact]
    public void A_prompt_longer_than_the_context_is_refused_before_any_compute()
    {
        var model = TinyModels.Model(TinyModels.Config(context: 8));
        using var session = model.CreateSession();

        var error = Assert.Throws<ContextLengthExceededException>(() => session.Prefill(TinyModels.Tokens(9, 50)));

        Assert.Equal(8, error.Limit);
        Assert.Equal(0, session.Position);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(50)]
    public void A_token_id_outside_the_vocabulary_is_named(int token)
    {
        var model = TinyModels.Model(TinyModels.Config());
        using var session = model.CreateSession();

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => session.Next(token));

        Assert.Contains(token.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reset_starts_the_sequence_over()
    {
        var model = TinyModels.Model(TinyModels.Config());
        using var session = model.CreateSession();
        var first = session.Prefill([3, 4, 5]).ToArray();
        session.Next(9);

        session.Reset();
        var again = session.Prefill([3, 4, 5]).ToArray();

        Assert.Equal(first, again);
        Assert.Equal(3, session.Position);
    }

    internal static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            if (!(Math.Abs(expected[i] - actual[i]) <= tolerance))
            {
                Assert.Fail($"value {i}: expected {expected[i]} but got {actual[i]} (tolerance {tolerance})");
            }
        }
    }
}
