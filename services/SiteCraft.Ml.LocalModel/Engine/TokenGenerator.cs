using System.Runtime.CompilerServices;

namespace SiteCraft.Ml.LocalModel.Engine;

/// <summary>
/// Generates tokens for prompts over one model: prefill, then sample until max_tokens, a stop token
/// or the context limit. Each sequence gets its own session; compute runs on the thread pool, one
/// step at a time, so the caller's async context never blocks and cancellation takes effect within a token.
/// </summary>
public sealed class TokenGenerator(LlamaModel model, EngineScheduler? scheduler = null)
{
    public LlamaModel Model { get; } = model ?? throw new ArgumentNullException(nameof(model));

    /// <summary>
    /// The generated tokens; the last one carries its <see cref="FinishReason"/>. With a scheduler the
    /// first MoveNextAsync waits for a slot or throws <see cref="EngineBusyException"/>.
    /// </summary>
    public async IAsyncEnumerable<GeneratedToken> GenerateAsync(
        IReadOnlyList<int> promptTokens,
        SamplingOptions options,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(promptTokens);
        ArgumentNullException.ThrowIfNull(options);
        if (promptTokens.Count == 0)
        {
            throw new ArgumentException("the prompt needs at least one token", nameof(promptTokens));
        }

        var sampler = new Sampler(options);
        var prompt = promptTokens.ToArray();
        var stops = options.StopTokenIds.ToHashSet();
        var limit = Model.Config.MaxPositionEmbeddings;
        if (prompt.Length > limit)
        {
            throw new ContextLengthExceededException(limit, prompt.Length);
        }

        using var lease = scheduler is null ? null : await scheduler.AcquireAsync(cancellationToken);
        using var session = Model.CreateSession();
        var constraint = options.Constraint;
        var masked = constraint is null ? null : new float[Model.Config.VocabSize];
        int Choose(ReadOnlySpan<float> logits)
        {
            if (constraint is null)
            {
                return sampler.Next(logits);
            }

            logits.CopyTo(masked);
            constraint.Mask(masked);
            var chosen = sampler.Next(masked);
            constraint.Accept(chosen);
            return chosen;
        }

        var token = await Task.Run(() => Choose(session.Prefill(prompt)), cancellationToken);
        for (var generated = 1; ; generated++)
        {
            FinishReason? finish =
                stops.Contains(token) ? FinishReason.Stop
                : generated >= options.MaxTokens ? FinishReason.MaxTokens
                : session.Position >= limit ? FinishReason.ContextLength
                : null;
            yield return new GeneratedToken(token, finish);
            if (finish is not null)
            {
                yield break;
            }

            cancellationToken.ThrowIfCancellationRequested();
            var previous = token;
            token = await Task.Run(() => Choose(session.Next(previous)), cancellationToken);
        }
    }
}
