using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using SiteCraft.Ml.LocalModel.Engine;
using SiteCraft.Ml.LocalModel.Tokenization;

namespace SiteCraft.Ml.LocalModel.Serving;

/// <summary>
/// A trained artifact loaded for serving: config, weights and tokenizer checked against each other
/// (and against registered file hashes when given), and chat generation on top of the engine.
/// Thread-safe: every generation has its own session; a shared <see cref="EngineScheduler"/>
/// bounds how many run at once.
/// </summary>
public sealed class LocalModelArtifact
{
    public const string ConfigFile = "config.json";
    public const string WeightsFile = "model.safetensors";
    public const string TokenizerFile = "tokenizer.json";

    private static readonly int[] s_stopTokens = [.. SpecialTokens.All.Select(SpecialTokens.IdOf)];

    private readonly TokenGenerator _generator;

    private LocalModelArtifact(string directory, LlamaModel model, BpeTokenizer tokenizer, EngineScheduler? scheduler)
    {
        Directory = directory;
        Model = model;
        Tokenizer = tokenizer;
        _generator = new TokenGenerator(model, scheduler);
    }

    public string Directory { get; }

    public LlamaModel Model { get; }

    public LlamaConfig Config => Model.Config;

    public BpeTokenizer Tokenizer { get; }

    /// <summary>Loads and checks an artifact folder.</summary>
    /// <param name="directory">The folder with config.json, model.safetensors and tokenizer.json.</param>
    /// <param name="options">Engine options (threads per sequence).</param>
    /// <param name="expectedSha256">Registered hashes by file name; a file that differs is refused.</param>
    /// <param name="scheduler">Bounds concurrent sequences, shared across artifacts; none means unbounded.</param>
    /// <exception cref="ModelLoadException">A file is missing, differs from its registered hash, or disagrees with another.</exception>
    public static LocalModelArtifact Load(string directory, EngineOptions? options = null, IReadOnlyDictionary<string, string>? expectedSha256 = null, EngineScheduler? scheduler = null)
    {
        foreach (var name in new[] { ConfigFile, WeightsFile, TokenizerFile })
        {
            if (!File.Exists(Path.Combine(directory, name)))
            {
                throw new ModelLoadException($"{Path.Combine(directory, name)}: the artifact has no {name}");
            }
        }

        foreach (var (name, sha256) in expectedSha256 ?? new Dictionary<string, string>())
        {
            var path = Path.Combine(directory, name);
            if (!File.Exists(path))
            {
                throw new ModelLoadException($"{path}: registered with the artifact but missing");
            }

            using var stream = File.OpenRead(path);
            var actual = Convert.ToHexStringLower(SHA256.HashData(stream));
            if (!string.Equals(actual, sha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new ModelLoadException($"{path}: sha256 {actual} differs from the registered {sha256}");
            }
        }

        var model = LlamaModel.Load(Path.Combine(directory, ConfigFile), Path.Combine(directory, WeightsFile), options);
        BpeTokenizer tokenizer;
        try
        {
            tokenizer = BpeTokenizer.Load(Path.Combine(directory, TokenizerFile));
        }
        catch (TokenizerFormatException e)
        {
            throw new ModelLoadException(e.Message);
        }

        if (tokenizer.VocabSize > model.Config.VocabSize)
        {
            throw new ModelLoadException($"{Path.Combine(directory, TokenizerFile)} has {tokenizer.VocabSize} tokens but config.json vocab_size is {model.Config.VocabSize}");
        }

        return new LocalModelArtifact(directory, model, tokenizer, scheduler);
    }

    /// <summary>The prompt's token ids, cut to fit when allowed.</summary>
    /// <exception cref="PromptTooLongException">The prompt leaves no room for an answer and truncation is off.</exception>
    public IReadOnlyList<int> EncodePrompt(IReadOnlyList<(string Role, string Content)> messages, bool truncate)
    {
        var ids = ChatTemplate.EncodePrompt(Tokenizer, messages, addGenerationPrompt: true);
        var limit = Config.MaxPositionEmbeddings;
        if (ids.Count < limit)
        {
            return ids;
        }

        if (!truncate)
        {
            throw new PromptTooLongException(ids.Count, limit);
        }

        // Keep the document start and the newest tokens (the question and the assistant turn), leaving half the context to answer.
        var keep = limit / 2;
        return [ids[0], .. ids.Skip(ids.Count - (keep - 1))];
    }

    /// <summary>Streams an answer to chat messages.</summary>
    public async IAsyncEnumerable<GenerationUpdate> StreamAsync(
        IReadOnlyList<(string Role, string Content)> messages,
        GenerationSettings settings,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        settings.Validate();
        var prompt = EncodePrompt(messages, settings.TruncatePrompt);
        var room = Config.MaxPositionEmbeddings - prompt.Count;
        // Any special token ends the turn: the model writes <|end|>, and a role or document marker means it has run past its answer.
        var sampling = settings.ToSampling(s_stopTokens) with
        {
            MaxTokens = Math.Min(settings.MaxTokens, room),
            Constraint = settings.JsonOutput ? new JsonConstraint(Tokenizer) : null,
        };
        var decoder = new Utf8StreamDecoder(Tokenizer);
        var filter = new StopSequenceFilter(settings.StopSequences);
        var generated = 0;
        await foreach (var token in _generator.GenerateAsync(prompt, sampling, cancellationToken))
        {
            generated++;
            var ended = token.Finish == FinishReason.Stop;
            var text = ended ? decoder.Flush() : decoder.Append(token.Id);
            var ready = filter.Push(text);
            if (filter.Stopped)
            {
                yield return new GenerationUpdate(ready, GenerationFinish.Stop, prompt.Count, generated);
                yield break;
            }

            if (token.Finish is { } finish)
            {
                var rest = finish == FinishReason.Stop ? "" : decoder.Flush();
                yield return new GenerationUpdate(ready + filter.Push(rest) + filter.Flush(), finish == FinishReason.Stop ? GenerationFinish.Stop : GenerationFinish.Length, prompt.Count, generated);
                yield break;
            }

            if (ready.Length > 0)
            {
                yield return new GenerationUpdate(ready);
            }
        }
    }

    /// <summary>A whole answer.</summary>
    public async Task<GenerationResult> CompleteAsync(IReadOnlyList<(string Role, string Content)> messages, GenerationSettings settings, CancellationToken cancellationToken = default)
    {
        var text = new StringBuilder();
        await foreach (var update in StreamAsync(messages, settings, cancellationToken))
        {
            text.Append(update.Text);
            if (update.Finish is { } finish)
            {
                return new GenerationResult(text.ToString(), finish, update.PromptTokens, update.CompletionTokens);
            }
        }

        throw new InvalidOperationException("the generation ended without a finish reason");
    }
}
