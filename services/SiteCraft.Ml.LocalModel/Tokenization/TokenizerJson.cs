using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace SiteCraft.Ml.LocalModel.Tokenization;

/// <summary>
/// The Hugging Face <c>tokenizers</c> file form of <see cref="BpeTokenizer"/>: <c>tokenizer.json</c> with a
/// ByteLevel pre-tokenizer and decoder and a BPE model, and the <c>tokenizer_config.json</c> beside it.
/// </summary>
internal static class TokenizerJson
{
    // Relaxed escaping keeps "<|end|>" and the byte-level letters readable; the files never go into HTML.
    private static readonly JsonWriterOptions s_writerOptions = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Write(BpeTokenizer tokenizer)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, s_writerOptions))
        {
            json.WriteStartObject();
            json.WriteString("version", "1.0");
            json.WriteNull("truncation");
            json.WriteNull("padding");
            json.WriteStartArray("added_tokens");
            for (var id = 0; id < SpecialTokens.All.Count; id++)
            {
                json.WriteStartObject();
                json.WriteNumber("id", id);
                json.WriteString("content", SpecialTokens.All[id]);
                json.WriteBoolean("single_word", false);
                json.WriteBoolean("lstrip", false);
                json.WriteBoolean("rstrip", false);
                json.WriteBoolean("normalized", false);
                json.WriteBoolean("special", true);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteNull("normalizer");
            json.WriteStartObject("pre_tokenizer");
            WriteByteLevel(json, addPrefixSpace: false);
            json.WriteEndObject();
            json.WriteNull("post_processor");
            json.WriteStartObject("decoder");
            WriteByteLevel(json, addPrefixSpace: true);
            json.WriteEndObject();

            json.WriteStartObject("model");
            json.WriteString("type", "BPE");
            json.WriteNull("dropout");
            json.WriteNull("unk_token");
            json.WriteNull("continuing_subword_prefix");
            json.WriteNull("end_of_word_suffix");
            json.WriteBoolean("fuse_unk", false);
            json.WriteBoolean("byte_fallback", false);
            json.WriteBoolean("ignore_merges", false);
            json.WriteStartObject("vocab");
            for (var id = 0; id < tokenizer.VocabSize; id++)
            {
                json.WriteNumber(TokenText(tokenizer, id), id);
            }

            json.WriteEndObject();
            json.WriteStartArray("merges");
            foreach (var merge in tokenizer.Merges)
            {
                json.WriteStartArray();
                json.WriteStringValue(TokenText(tokenizer, merge.Left));
                json.WriteStringValue(TokenText(tokenizer, merge.Right));
                json.WriteEndArray();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static string WriteConfig(int modelMaxLength)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, s_writerOptions))
        {
            json.WriteStartObject();
            json.WriteString("tokenizer_class", "PreTrainedTokenizerFast");
            json.WriteString("bos_token", SpecialTokens.EndOfText);
            json.WriteString("eos_token", SpecialTokens.End);
            json.WriteString("pad_token", SpecialTokens.Pad);
            json.WriteNull("unk_token");
            json.WriteBoolean("add_bos_token", false);
            json.WriteBoolean("add_eos_token", false);
            json.WriteBoolean("clean_up_tokenization_spaces", false);
            json.WriteNumber("model_max_length", modelMaxLength);
            json.WriteString("chat_template", ChatTemplate.Jinja);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static BpeTokenizer Read(string text, string? source)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return Read(document.RootElement);
        }
        catch (JsonException ex)
        {
            throw new TokenizerFormatException(Describe(source, $"not valid JSON: {ex.Message}"), ex);
        }
        catch (TokenizerFormatException ex)
        {
            throw new TokenizerFormatException(Describe(source, ex.Message), ex.InnerException ?? ex);
        }
    }

    private static string Describe(string? source, string problem) =>
        source is null ? $"Tokenizer JSON is invalid: {problem}" : $"Tokenizer file '{source}' is invalid: {problem}";

    private static BpeTokenizer Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Invalid("the root is not a JSON object");
        }

        if (!root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.Object)
        {
            throw Invalid("'model' is missing");
        }

        if (model.TryGetProperty("type", out var type)
            && (type.ValueKind != JsonValueKind.String || type.GetString() != "BPE"))
        {
            throw Invalid($"model.type is '{type}', expected 'BPE'");
        }

        if (!model.TryGetProperty("vocab", out var vocab) || vocab.ValueKind != JsonValueKind.Object)
        {
            throw Invalid("model.vocab is missing");
        }

        if (!model.TryGetProperty("merges", out var merges) || merges.ValueKind != JsonValueKind.Array)
        {
            throw Invalid("model.merges is missing");
        }

        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        ReadAddedTokens(root, ids);
        foreach (var entry in vocab.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.Number || !entry.Value.TryGetInt32(out var id) || id < 0)
            {
                throw Invalid($"model.vocab['{entry.Name}'] is not a non-negative integer id");
            }

            var special = SpecialTokens.IdOf(entry.Name);
            if (special >= 0 && special != id)
            {
                throw Invalid($"special token {entry.Name} must have id {special}, not {id}");
            }

            if (special < 0 && id < SpecialTokens.All.Count)
            {
                throw Invalid($"model.vocab['{entry.Name}'] has id {id}, which is reserved for {SpecialTokens.All[id]}");
            }

            if (!ids.TryAdd(entry.Name, id) && ids[entry.Name] != id)
            {
                throw Invalid($"model.vocab['{entry.Name}'] appears twice");
            }
        }

        var tokenBytes = new byte[ids.Count][];
        foreach (var (token, id) in ids)
        {
            if (id >= tokenBytes.Length)
            {
                throw Invalid($"ids must run from 0 to {tokenBytes.Length - 1} without gaps, but '{token}' has id {id}");
            }

            if (tokenBytes[id] is not null)
            {
                throw Invalid($"id {id} is given to more than one token");
            }

            tokenBytes[id] = id < SpecialTokens.All.Count
                ? Encoding.UTF8.GetBytes(token)
                : ByteLevel.ToBytes(token)
                    ?? throw Invalid($"model.vocab['{token}'] has a character outside the byte-level alphabet");
        }

        for (var id = 0; id < SpecialTokens.All.Count; id++)
        {
            if (id >= tokenBytes.Length || tokenBytes[id] is null)
            {
                throw Invalid($"special token {SpecialTokens.All[id]} (id {id}) is missing");
            }
        }

        for (var b = 0; b < 256; b++)
        {
            if (!ids.ContainsKey(ByteLevel.CharOf((byte)b).ToString()))
            {
                throw Invalid($"model.vocab has no token for byte 0x{b:X2}");
            }
        }

        return new BpeTokenizer(tokenBytes, ReadMerges(merges, ids));
    }

    private static void ReadAddedTokens(JsonElement root, Dictionary<string, int> ids)
    {
        if (!root.TryGetProperty("added_tokens", out var added) || added.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (added.ValueKind != JsonValueKind.Array)
        {
            throw Invalid("added_tokens is not an array");
        }

        var index = 0;
        foreach (var token in added.EnumerateArray())
        {
            var content = token.ValueKind == JsonValueKind.Object && token.TryGetProperty("content", out var c)
                && c.ValueKind == JsonValueKind.String ? c.GetString()! : null;
            var hasId = token.ValueKind == JsonValueKind.Object && token.TryGetProperty("id", out var i)
                && i.ValueKind == JsonValueKind.Number && i.TryGetInt32(out _);
            if (content is null || !hasId)
            {
                throw Invalid($"added_tokens[{index}] needs a string 'content' and an integer 'id'");
            }

            var id = token.GetProperty("id").GetInt32();
            var expected = SpecialTokens.IdOf(content);
            if (expected < 0)
            {
                throw Invalid($"added token '{content}' is not one of the special tokens {string.Join(", ", SpecialTokens.All)}");
            }

            if (id != expected)
            {
                throw Invalid($"added token {content} must have id {expected}, not {id}");
            }

            ids[content] = id;
            index++;
        }
    }

    private static List<BpeMerge> ReadMerges(JsonElement merges, Dictionary<string, int> ids)
    {
        var result = new List<BpeMerge>(merges.GetArrayLength());
        var seen = new HashSet<long>();
        var index = 0;
        foreach (var merge in merges.EnumerateArray())
        {
            var (left, right) = MergeParts(merge, index);
            var leftId = PartId(left, index, ids);
            var rightId = PartId(right, index, ids);
            var joined = left + right;
            if (!ids.TryGetValue(joined, out var resultId))
            {
                throw Invalid($"model.merges[{index}] produces '{joined}' which is not in the vocabulary");
            }

            if (!seen.Add(BpeTokenizer.PairKey(leftId, rightId)))
            {
                throw Invalid($"model.merges[{index}] repeats the merge '{left}' '{right}'");
            }

            result.Add(new BpeMerge(leftId, rightId, resultId));
            index++;
        }

        return result;
    }

    private static (string Left, string Right) MergeParts(JsonElement merge, int index)
    {
        if (merge.ValueKind == JsonValueKind.String)
        {
            // The older form: "left right"; byte-level tokens never contain a space (it is written as 'Ġ').
            var parts = merge.GetString()!.Split(' ');
            if (parts.Length == 2)
            {
                return (parts[0], parts[1]);
            }
        }
        else if (merge.ValueKind == JsonValueKind.Array && merge.GetArrayLength() == 2
            && merge[0].ValueKind == JsonValueKind.String && merge[1].ValueKind == JsonValueKind.String)
        {
            return (merge[0].GetString()!, merge[1].GetString()!);
        }

        throw Invalid($"model.merges[{index}] is neither [\"left\", \"right\"] nor \"left right\"");
    }

    private static int PartId(string part, int index, Dictionary<string, int> ids)
    {
        if (!ids.TryGetValue(part, out var id))
        {
            throw Invalid($"model.merges[{index}] refers to '{part}' which is not in the vocabulary");
        }

        return id < SpecialTokens.All.Count
            ? throw Invalid($"model.merges[{index}] refers to the special token {part}")
            : id;
    }

    private static string TokenText(BpeTokenizer tokenizer, int id) =>
        id < SpecialTokens.All.Count ? SpecialTokens.All[id] : ByteLevel.ToText(tokenizer.TokenBytes(id));

    private static void WriteByteLevel(Utf8JsonWriter json, bool addPrefixSpace)
    {
        json.WriteString("type", "ByteLevel");
        json.WriteBoolean("add_prefix_space", addPrefixSpace);
        json.WriteBoolean("trim_offsets", true);
        json.WriteBoolean("use_regex", true);
    }

    private static TokenizerFormatException Invalid(string problem) => new(problem);
}
