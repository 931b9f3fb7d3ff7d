using SiteCraft.Ml.LocalModel.Engine;

namespace SiteCraft.Ml.LocalModel.Tests.Engine;

public sealed class TokenGeneratorTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Greedy_generation_follows_the_argmax_of_each_step_and_ends_at_max_tokens()
    {
        var model = TinyModels.Model(TinyModels.Config());
        var generator = new TokenGenerator(model);
        int[] prompt = [1, 5, 9];

        var tokens = await Collect(generator.GenerateAsync(prompt, new SamplingOptions { MaxTokens = 6 }));

        using var session = model.CreateSession();
        var expected = new List<int> { Sampler.ArgMax(session.Prefill(prompt)) };
        while (expected.Count < 6)
        {
            expected.Add(Sampler.ArgMax(session.Next(expected[^1])));
        }

        Assert.Equal(expected, tokens.Select(t => t.Id));
        Assert.All(tokens[..^1], t => Assert.Null(t.Finish));
        Assert.Equal(FinishReason.MaxTokens, tokens[^1].Finish);
    }

    [Fact]
    public async Task Generation_ends_with_the_stop_token_it_sampled()
    {
        var model = TinyModels.Model(TinyModels.Config());
        var generator = new TokenGenerator(model);
        var free = await Collect(generator.GenerateAsync([1, 5, 9], new SamplingOptions { MaxTokens = 6 }));
        var stop = free[2].Id;

        var tokens = await Collect(generator.GenerateAsync([1, 5, 9], new SamplingOptions { MaxTokens = 6, StopTokenIds = [stop] }));

        Assert.Equal(FinishReason.Stop, tokens[^1].Finish);
        Assert.Equal(stop, tokens[^1].Id);
        Assert.True(tokens.Count <= 3);
    }

    [Fact]
    public async Task Generation_ends_at_the_context_limit_with_its_reason()
    {
        var model = TinyModels.Model(TinyModels.Config(context: 8));
        var generator = new TokenGenerator(model);

        var tokens = await Collect(generator.GenerateAsync([1, 2, 3, 4, 5], new SamplingOptions { MaxTokens = 100 }));

        // Five prompt positions and three fed-back tokens fill the 8 positions; the fourth token is sampled but cannot be fed.
        Assert.Equal(4, tokens.Count);
        Assert.Equal(FinishReason.ContextLength, tokens[^1].Finish);
    }

    [Fact]
    public async Task A_third_concurrent_generation_is_refused_and_the_second_runs_after_the_first()
    {
        var model = TinyModels.Model(TinyModels.Config());
        var generator = new TokenGenerator(model, new EngineScheduler(1, 1));
        var options = new SamplingOptions { MaxTokens = 4 };

        await using var first = generator.GenerateAsync([1], options).GetAsyncEnumerator();
        Assert.True(await first.MoveNextAsync());
        var second = Collect(generator.GenerateAsync([2], options));
        await Assert.ThrowsAsync<EngineBusyException>(() => Collect(generator.GenerateAsync([3], options)));

        Assert.False(second.IsCompleted);
        while (await first.MoveNextAsync())
        {
        }

        Assert.Equal(4, (await second.WaitAsync(s_timeout)).Count);
    }

    [Fact]
    public async Task Cancelling_a_generation_stops_it_and_frees_its_slot()
    {
        var model = TinyModels.Model(TinyModels.Config());
        var scheduler = new EngineScheduler(1, 0);
        var generator = new TokenGenerator(model, scheduler);
        using var cancel = new CancellationTokenSource();
        var received = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var token in generator.GenerateAsync([1], new SamplingOptions { MaxTokens = 20 }, cancel.Token))
            {
                received++;
                await cancel.CancelAsync();
            }
        });

        Assert.Equal(1, received);
        Assert.Equal(0, scheduler.Running);
        Assert.Equal(2, (await Collect(generator.GenerateAsync([1], new SamplingOptions { MaxTokens = 2 }))).Count);
    }

    private static async Task<List<GeneratedToken>> Collect(IAsyncEnumerable<GeneratedToken> stream)
    {
        var tokens = new List<GeneratedToken>();
        await foreach (var token in stream)
        {
            tokens.Add(token);
        }

        return tokens;
    }
}
