using System.Text.Json;
using System.Text.Json.Nodes;
using SiteCraft.Ml.LocalModel.Tokenization;

namespace SiteCraft.Ml.LocalModel.Tests.Tokenization;

public sealed class TokenizerJsonTests
{
    private static BpeTokenizer Tokenizer => TestTokenizers.Small;

    [Fact]
    public void A_saved_and_loaded_tokenizer_encodes_alike_and_saves_the_same_bytes()
    {
        var json = Tokenizer.ToJson();

        var loaded = BpeTokenizer.FromJson(json);

        Assert.Equal(json, loaded.ToJson());
        Assert.Equal(Tokenizer.VocabSize, loaded.VocabSize);
        foreach (var text in TestTokenizers.Corpus().Take(20).Append("<|user|>Olá, 世界 😀<|end|>"))
        {
            Assert.Equal(Tokenizer.Encode(text), loaded.Encode(text));
        }
    }

    [Fact]
    public void Training_twice_on_the_same_texts_gives_byte_identical_json()
    {
        var first = BpeTokenizer.Train(TestTokenizers.Corpus(), TestTokenizers.VocabSize).ToJson();
        var second = BpeTokenizer.Train(TestTokenizers.Corpus().Reverse(), TestTokenizers.VocabSize).ToJson();

        Assert.Equal(first, second);
    }

    [Fact]
    public void The_json_has_the_hugging_face_tokenizer_structure()
    {
        using var document = JsonDocument.Parse(Tokenizer.ToJson());
        var root = document.RootElement;

        Assert.Equal("1.0", root.GetProperty("version").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("truncation").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("padding").ValueKind);
        Assert.Equal("ByteLevel", root.GetProperty("pre_tokenizer").GetProperty("type").GetString());
        Assert.False(root.GetProperty("pre_tokenizer").GetProperty("add_prefix_space").GetBoolean());
        Assert.Equal("ByteLevel", root.GetProperty("decoder").GetProperty("type").GetString());
        var added = root.GetProperty("added_tokens").EnumerateArray().ToArray();
        Assert.Equal([0, 1, 2, 3, 4, 5], added.Select(t => t.GetProperty("id").GetInt32()));
        Assert.Equal(SpecialTokens.All, added.Select(t => t.GetProperty("content").GetString()));
        Assert.All(added, t => Assert.True(t.GetProperty("special").GetBoolean()));

        var model = root.GetProperty("model");
        Assert.Equal("BPE", model.GetProperty("type").GetString());
        Assert.False(model.GetProperty("byte_fallback").GetBoolean());
        var vocab = model.GetProperty("vocab");
        Assert.Equal(Tokenizer.VocabSize, vocab.EnumerateObject().Count());
        Assert.Equal(4, vocab.GetProperty("<|end|>").GetInt32());
        Assert.Equal(6 + ' ', vocab.GetProperty("Ġ").GetInt32());
        Assert.Equal(6 + 'a', vocab.GetProperty("a").GetInt32());
        var merges = model.GetProperty("merges");
        Assert.Equal(Tokenizer.VocabSize - 262, merges.GetArrayLength());
        Assert.All(merges.EnumerateArray(), m => Assert.Equal(2, m.GetArrayLength()));
    }

    [Fact]
    public void The_tokenizer_config_names_the_special_tokens_and_the_chat_template()
    {
        using var document = JsonDocument.Parse(Tokenizer.ToTokenizerConfigJson(modelMaxLength: 1024));
        var root = document.RootElement;

        Assert.Equal("<|endoftext|>", root.GetProperty("bos_token").GetString());
        Assert.Equal("<|end|>", root.GetProperty("eos_token").GetString());
        Assert.Equal("<|pad|>", root.GetProperty("pad_token").GetString());
        Assert.Equal(1024, root.GetProperty("model_max_length").GetInt32());
        Assert.Equal("PreTrainedTokenizerFast", root.GetProperty("tokenizer_class").GetString());
        Assert.Equal(ChatTemplate.Jinja, root.GetProperty("chat_template").GetString());
    }

    [Fact]
    public void Merges_written_as_space_separated_strings_are_read_too()
    {
        var json = JsonNode.Parse(Tokenizer.ToJson())!;
        var merges = json["model"]!["merges"]!.AsArray();
        var legacy = new JsonArray([.. merges.Select(m => JsonValue.Create($"{m![0]} {m[1]}"))]);
        json["model"]!["merges"] = legacy;

        var loaded = BpeTokenizer.FromJson(json.ToJsonString());

        Assert.Equal(Tokenizer.ToJson(), loaded.ToJson());
    }

    [Fact]
    public void A_file_without_a_model_is_rejected_naming_the_file()
    {
        using var file = WriteCorrupt(json => json.AsObject().Remove("model"));

        var ex = Assert.Throws<TokenizerFormatException>(() => BpeTokenizer.Load(file.Path));

        Assert.Contains(file.Path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("'model' is missing", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_merge_of_an_unknown_token_is_rejected_naming_the_merge_and_the_file()
    {
        using var file = WriteCorrupt(json => json["model"]!["merges"]![12] = new JsonArray("xy", "z"));

        var ex = Assert.Throws<TokenizerFormatException>(() => BpeTokenizer.Load(file.Path));

        Assert.Contains(file.Path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("model.merges[12] refers to 'xy' which is not in the vocabulary", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_special_token_with_the_wrong_id_is_rejected_naming_the_token_and_the_file()
    {
        using var file = WriteCorrupt(json =>
        {
            json["added_tokens"]![4]!["id"] = 7;
            json["model"]!["vocab"]!.AsObject().Remove("<|end|>");
        });

        var ex = Assert.Throws<TokenizerFormatException>(() => BpeTokenizer.Load(file.Path));

        Assert.Contains(file.Path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("added token <|end|> must have id 4", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json at all", "not valid JSON")]
    [InlineData("[]", "root is not a JSON object")]
    [InlineData("{\"model\": {\"type\": \"WordPiece\", \"vocab\": {}, \"merges\": []}}", "model.type")]
    [InlineData("{\"model\": {\"type\": \"BPE\", \"vocab\": {}, \"merges\": []}}", "special token <|endoftext|> (id 0) is missing")]
    public void Malformed_json_is_rejected_saying_what_is_wrong(string json, string problem)
    {
        var ex = Assert.Throws<TokenizerFormatException>(() => BpeTokenizer.FromJson(json));

        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_vocabulary_missing_a_byte_is_rejected_naming_the_byte()
    {
        var json = JsonNode.Parse(Tokenizer.ToJson())!;
        var vocab = json["model"]!["vocab"]!.AsObject();
        vocab.Remove("Ċ");
        vocab["ĊĊ"] = 6 + '\n';

        var ex = Assert.Throws<TokenizerFormatException>(() => BpeTokenizer.FromJson(json.ToJsonString()));

        Assert.Contains("model.vocab has no token for byte 0x0A", ex.Message, StringComparison.Ordinal);
    }

    private static TempFile WriteCorrupt(Action<JsonNode> corrupt)
    {
        var json = JsonNode.Parse(Tokenizer.ToJson())!;
        corrupt(json);
        var file = new TempFile(Path.Combine(Path.GetTempPath(), $"tokenizer-{Guid.NewGuid():N}.json"));
        File.WriteAllText(file.Path, json.ToJsonString());
        return file;
    }

    private sealed class TempFile(string path) : IDisposable
    {
        public string Path { get; } = path;

        public void Dispose() => File.Delete(Path);
    }
}
