using CsCheck;
using SiteCraft.Ml.LocalModel.Tokenization;

namespace SiteCraft.Ml.LocalModel.Tests.Tokenization;

public sealed class BpeTokenizerTests
{
    private static BpeTokenizer Tokenizer => TestTokenizers.Small;

    [Fact]
    public void Decode_of_encode_gives_back_any_text_when_specials_are_not_allowed()
    {
        TestTokenizers.Text.Sample(text =>
            Assert.Equal(text, Tokenizer.Decode(Tokenizer.Encode(text, allowSpecial: false))));
    }

    [Fact]
    public void Decode_of_encode_gives_back_text_with_special_tokens_when_they_are_allowed()
    {
        TestTokenizers.TextWithSpecials.Sample(text =>
            Assert.Equal(text, Tokenizer.Decode(Tokenizer.Encode(text, allowSpecial: true))));
    }

    [Fact]
    public void Vocabulary_is_specials_then_bytes_then_one_token_per_merge()
    {
        Assert.Equal(TestTokenizers.VocabSize, Tokenizer.VocabSize);
        for (var id = 0; id < SpecialTokens.All.Count; id++)
        {
            Assert.True(Tokenizer.IsSpecial(id));
            Assert.Equal(SpecialTokens.All[id], System.Text.Encoding.UTF8.GetString(Tokenizer.TokenBytes(id)));
        }

        for (var b = 0; b < 256; b++)
        {
            Assert.False(Tokenizer.IsSpecial(6 + b));
            Assert.Equal([(byte)b], Tokenizer.TokenBytes(6 + b).ToArray());
        }

        Assert.True(Tokenizer.TokenBytes(262).Length >= 2);
    }

    [Fact]
    public void A_word_seen_often_in_training_becomes_one_token()
    {
        var ids = Tokenizer.Encode(" bakery");

        var id = Assert.Single(ids);
        Assert.True(id >= 262);
        Assert.Equal(" bakery", Tokenizer.Decode([id]));
    }

    [Fact]
    public void Special_tokens_map_to_ids_0_to_5()
    {
        var text = string.Concat(SpecialTokens.All);

        Assert.Equal([0, 1, 2, 3, 4, 5], Tokenizer.Encode(text));
        Assert.Equal([0, 1, 2, 3, 4, 5], SpecialTokens.All.Select(Tokenizer.TokenId));
    }

    [Fact]
    public void Special_token_text_is_ordinary_text_when_specials_are_not_allowed()
    {
        var ids = Tokenizer.Encode("say <|end|> now", allowSpecial: false);

        Assert.DoesNotContain(ids, Tokenizer.IsSpecial);
        Assert.Equal("say <|end|> now", Tokenizer.Decode(ids));
    }

    [Fact]
    public void Special_tokens_split_the_surrounding_text()
    {
        var ids = Tokenizer.Encode("bakery<|end|>bakery");

        Assert.Equal(SpecialTokens.EndId, ids[ids.Count / 2]);
        Assert.Equal(Tokenizer.Encode("bakery"), ids.Take(ids.Count / 2));
    }

    [Fact]
    public void Decode_can_skip_special_tokens()
    {
        var ids = Tokenizer.Encode("<|user|>hello<|end|>");

        Assert.Equal("hello", Tokenizer.Decode(ids, skipSpecial: true));
        Assert.Equal("<|user|>hello<|end|>", Tokenizer.Decode(ids));
    }

    [Fact]
    public void A_token_cut_inside_a_character_decodes_as_the_replacement_character()
    {
        var ids = Tokenizer.Encode("😀", allowSpecial: false);
        var firstByte = 6 + Tokenizer.TokenBytes(ids[0])[0];

        Assert.Equal("\uFFFD", Tokenizer.Decode([firstByte]));
    }

    [Fact]
    public void Ids_outside_the_vocabulary_are_rejected_naming_the_id()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Tokenizer.Decode([1, Tokenizer.VocabSize]));
        Assert.Contains(Tokenizer.VocabSize.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => Tokenizer.TokenBytes(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tokenizer.IsSpecial(int.MaxValue));
    }

    [Fact]
    public void TokenId_rejects_a_text_that_is_not_a_special_token_naming_it()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tokenizer.TokenId("<|bos|>"));
        Assert.Contains("<|bos|>", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Special_token_text_in_training_data_is_never_learned_as_a_merge()
    {
        var texts = Enumerable.Repeat("<|user|>hi<|end|>", 50);

        var tokenizer = BpeTokenizer.Train(texts, 300);

        var learned = Enumerable.Range(262, tokenizer.VocabSize - 262).Select(id => tokenizer.Decode([id]));
        Assert.Equal(["hi"], learned);
    }

    [Fact]
    public void Training_stops_when_no_pair_occurs_twice()
    {
        var tokenizer = BpeTokenizer.Train(["ab ab", "cd"], 1000);

        Assert.Equal(263, tokenizer.VocabSize);
        Assert.Equal("ab", tokenizer.Decode([262]));
    }

    [Fact]
    public void Training_breaks_ties_by_the_lowest_pair_of_ids()
    {
        // "ba" and "ab" both occur twice; 'a' (6+97) < 'b' (6+98), so "ab" is merged first.
        var tokenizer = BpeTokenizer.Train(["ba", "ba", "ab", "ab"], 263);

        Assert.Equal("ab", tokenizer.Decode([262]));
    }

    [Fact]
    public void Training_on_any_texts_gives_distinct_tokens_that_save_and_load()
    {
        // A three-letter alphabet gives long words with many overlapping pairs, the hard case for incremental counts.
        var texts = Gen.Char["abc \n"].Array[0, 30].Select(chars => new string(chars)).Array[1, 40];

        texts.Sample(sample =>
        {
            var tokenizer = BpeTokenizer.Train(sample, 330);

            var tokens = Enumerable.Range(0, tokenizer.VocabSize).Select(id => Convert.ToHexString(tokenizer.TokenBytes(id)));
            Assert.Equal(tokenizer.VocabSize, tokens.Distinct().Count());
            Assert.Equal(tokenizer.ToJson(), BpeTokenizer.FromJson(tokenizer.ToJson()).ToJson());
            Assert.All(sample, text => Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text))));
        }, iter: 200);
    }

    [Fact]
    public void Training_reports_progress_up_to_one()
    {
        var reports = new List<double>();
        BpeTokenizer.Train(TestTokenizers.Corpus(), 300, new SynchronousProgress(reports.Add));

        Assert.NotEmpty(reports);
        Assert.Equal(1.0, reports[^1]);
        Assert.Equal(reports.Order(), reports);
    }

    [Fact]
    public void Training_rejects_a_vocabulary_smaller_than_specials_and_bytes()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BpeTokenizer.Train(["text"], 261));
    }

    [Fact]
    public void Encoding_in_parallel_gives_the_same_ids_as_encoding_in_sequence()
    {
        var texts = TestTokenizers.TextWithSpecials.Array[500].Single();
        var fresh = BpeTokenizer.FromJson(Tokenizer.ToJson());
        var sequential = texts.Select(text => Tokenizer.Encode(text).ToArray()).ToArray();

        var parallel = new int[texts.Length][];
        Parallel.For(0, texts.Length * 4, i =>
        {
            var ids = fresh.Encode(texts[i % texts.Length]).ToArray();
            Assert.Equal(texts[i % texts.Length], fresh.Decode(ids));
            parallel[i % texts.Length] = ids;
        });

        Assert.Equal(sequential, parallel);
    }

    [Fact]
    public void A_very_long_word_is_merged_and_decodes_back()
    {
        var text = string.Concat(Enumerable.Repeat("bakery", 5_000));

        var ids = Tokenizer.Encode(text);

        Assert.Equal(text, Tokenizer.Decode(ids));
        Assert.True(ids.Count < text.Length / 2);
    }

    private sealed class SynchronousProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
