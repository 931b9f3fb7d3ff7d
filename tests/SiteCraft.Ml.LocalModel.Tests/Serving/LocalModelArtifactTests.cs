using Microsoft.Extensions.AI;
using SiteCraft.Ml.LocalModel.Engine;
using SiteCraft.Ml.LocalModel.Serving;
using SiteCraft.Ml.LocalModel.Tokenization;

namespace SiteCraft.Ml.LocalModel.Tests.Serving;

/// <summary>Chat generation over a tiny random model with a real tokenizer, as the local provider runs it.</summary>
public sealed class LocalModelArtifactTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sitecraft-artifact-").FullName;

    public LocalModelArtifactTests()
    {
        var tokenizer = BpeTokenizer.Train(Enumerable.Repeat("landing pages for bakeries and dentists with fresh bread daily in Lyon {\"title\":\"x\"}", 3), vocabSize: 290);
        Assert.Equal(290, tokenizer.VocabSize);
        tokenizer.Save(Path.Combine(_directory, LocalModelArtifact.TokenizerFile));
        WriteModel(vocabSize: 290);
    }

    private void WriteModel(int vocabSize)
    {
        var config = new LlamaConfig
        {
            VocabSize = vocabSize,
            HiddenSize = 16,
            IntermediateSize = 32,
            NumHiddenLayers = 1,
            NumAttentionHeads = 2,
            NumKeyValueHeads = 1,
            MaxPositionEmbeddings = 48,
            TieWordEmbeddings = true,
        };
        config.Save(Path.Combine(_directory, LocalModelArtifact.ConfigFile));
        SafeTensorsFile.Write(Path.Combine(_directory, LocalModelArtifact.WeightsFile), LlamaModel.CreateRandom(config, seed: 4).ToTensors());
    }

    [Fact]
    public async Task Streaming_gives_the_same_text_and_counts_as_a_whole_answer()
    {
        var artifact = LocalModelArtifact.Load(_directory);
        var settings = new GenerationSettings { MaxTokens = 12 };

        var whole = await artifact.CompleteAsync([("user", "bakery")], settings);
        var pieces = new List<GenerationUpdate>();
        await foreach (var update in artifact.StreamAsync([("user", "bakery")], settings))
        {
            pieces.Add(update);
        }

        Assert.Equal(whole.Text, string.Concat(pieces.Select(p => p.Text)));
        Assert.Equal(whole.CompletionTokens, pieces[^1].CompletionTokens);
        Assert.Equal(whole.Finish, pieces[^1].Finish);
        Assert.All(pieces.SkipLast(1), p => Assert.Null(p.Finish));
        Assert.InRange(whole.CompletionTokens, 1, 12);
        Assert.Equal(ChatTemplate.EncodePrompt(artifact.Tokenizer, [("user", "bakery")], true).Count, whole.PromptTokens);
    }

    [Fact]
    public async Task A_prompt_longer_than_the_context_is_refused_naming_the_limit_unless_truncation_is_allowed()
    {
        var artifact = LocalModelArtifact.Load(_directory);
        var longText = string.Join(' ', Enumerable.Repeat("bakeries", 60));

        var error = await Assert.ThrowsAsync<PromptTooLongException>(() => artifact.CompleteAsync([("user", longText)], new GenerationSettings()));
        Assert.Equal(48, error.Limit);
        Assert.Contains("context is 48 tokens", error.Message, StringComparison.Ordinal);

        var truncated = await artifact.CompleteAsync([("user", longText)], new GenerationSettings { TruncatePrompt = true, MaxTokens = 4 });
        Assert.True(truncated.PromptTokens < 48);
        Assert.InRange(truncated.CompletionTokens, 1, 4);
    }

    [Theory]
    [InlineData(3f, 1f, 5, "temperature")]
    [InlineData(0.5f, 0f, 5, "top_p")]
    [InlineData(0.5f, 1f, 0, "max_tokens")]
    public async Task Invalid_sampling_is_refused_naming_the_field(float temperature, float topP, int maxTokens, string field)
    {
        var artifact = LocalModelArtifact.Load(_directory);

        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() =>
            artifact.CompleteAsync([("user", "x")], new GenerationSettings { Temperature = temperature, TopP = topP, MaxTokens = maxTokens }));

        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_seed_samples_the_same_answer()
    {
        var artifact = LocalModelArtifact.Load(_directory);
        var settings = new GenerationSettings { Temperature = 1f, TopP = 0.9f, Seed = 11, MaxTokens = 10 };

        var first = await artifact.CompleteAsync([("user", "dentist")], settings);
        var second = await artifact.CompleteAsync([("user", "dentist")], settings);

        Assert.Equal(first.Text, second.Text);
    }

    [Fact]
    public void A_tokenizer_larger_than_the_model_vocabulary_is_refused_naming_both()
    {
        WriteModel(vocabSize: 280);

        var error = Assert.Throws<ModelLoadException>(() => LocalModelArtifact.Load(_directory));
        Assert.Contains("has 290 tokens but config.json vocab_size is 280", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        File.Delete(Path.Combine(_directory, LocalModelArtifact.TokenizerFile));

        var error = Assert.Throws<ModelLoadException>(() => LocalModelArtifact.Load(_directory));
        Assert.Contains("tokenizer.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_chat_client_reports_the_served_model_usage_and_finish()
    {
        var artifact = LocalModelArtifact.Load(_directory);
        using var client = new LocalChatClient(_ => new ServedArtifact("tiny@1", artifact), "tiny@1");

        var response = await client.GetResponseAsync(
            [new ChatMessage(ChatRole.System, "You write pages."), new ChatMessage(ChatRole.User, "bakery")],
            new ChatOptions { MaxOutputTokens = 6 });

        Assert.Equal("tiny@1", response.ModelId);
        Assert.NotNull(response.FinishReason);
        Assert.InRange(response.Usage!.OutputTokenCount!.Value, 1, 6);
        Assert.Equal("sitecraft-local", client.GetService<ChatClientMetadata>()!.ProviderName);
        await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync([new ChatMessage(ChatRole.Tool, "x")]));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task With_the_json_format_even_random_weights_answer_valid_json_or_a_prefix_cut_by_max_tokens(long seed)
    {
        var artifact = LocalModelArtifact.Load(_directory);
        var settings = new GenerationSettings { Temperature = 1f, Seed = seed, MaxTokens = 40, JsonOutput = true };

        var answer = await artifact.CompleteAsync([("user", "json")], settings);

        var state = default(JsonPrefix);
        Assert.True(state.Push(System.Text.Encoding.UTF8.GetBytes(answer.Text)), answer.Text);
        Assert.True(answer.Finish != GenerationFinish.Stop || state.IsComplete, $"ended the turn on an incomplete document: {answer.Text}");
        if (answer.Finish == GenerationFinish.Stop)
        {
            using var _ = System.Text.Json.JsonDocument.Parse(answer.Text);
        }
    }

    [Fact]
    public void The_json_constraint_forbids_ending_the_turn_until_the_document_is_complete()
    {
        var tokenizer = BpeTokenizer.Load(Path.Combine(_directory, LocalModelArtifact.TokenizerFile));
        var constraint = new JsonConstraint(tokenizer);
        var open = tokenizer.Encode("{", allowSpecial: false).Single();
        var close = tokenizer.Encode("}", allowSpecial: false).Single();

        var logits = new float[tokenizer.VocabSize];
        constraint.Mask(logits);
        Assert.True(float.IsNegativeInfinity(logits[SpecialTokens.EndId]));
        Assert.True(float.IsNegativeInfinity(logits[close]));
        Assert.Equal(0f, logits[open]);

        constraint.Accept(open);
        constraint.Accept(close);
        logits = new float[tokenizer.VocabSize];
        constraint.Mask(logits);
        Assert.Equal(0f, logits[SpecialTokens.EndId]);
        Assert.Equal(1, logits.Count(l => !float.IsNegativeInfinity(l)));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
