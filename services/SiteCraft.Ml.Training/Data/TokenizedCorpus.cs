using SiteCraft.Ml.LocalModel.Tokenization;

namespace SiteCraft.Ml.Training.Data;

/// <summary>
/// Each split as one stream of token ids: every example rendered by <see cref="ChatTemplate"/>
/// (which starts it with &lt;|endoftext|&gt; and ends the answer with &lt;|end|&gt;), concatenated
/// in dataset order. Training windows are cut from the stream, so no compute is spent on padding.
/// </summary>
internal sealed class TokenizedCorpus
{
    private TokenizedCorpus(int[] train, int[] validation)
    {
        Train = train;
        Validation = validation;
    }

    public int[] Train { get; }

    public int[] Validation { get; }

    public static TokenizedCorpus Encode(Dataset dataset, BpeTokenizer tokenizer) =>
        new(EncodeAll(dataset.Train, tokenizer), EncodeAll(dataset.Validation, tokenizer));

    /// <summary>The text the tokenizer is trained on: every message and completion.</summary>
    public static IEnumerable<string> Texts(Dataset dataset) =>
        dataset.Train.SelectMany(e => e.Messages.Select(m => m.Content).Append(e.Completion));

    private static int[] EncodeAll(IReadOnlyList<TrainingExample> examples, BpeTokenizer tokenizer)
    {
        var encoded = new IReadOnlyList<int>[examples.Count];
        Parallel.For(0, examples.Count, i => encoded[i] = ChatTemplate.EncodeExample(tokenizer, examples[i].Messages, examples[i].Completion));
        var stream = new int[encoded.Sum(e => e.Count)];
        var offset = 0;
        foreach (var ids in encoded)
        {
            for (var i = 0; i < ids.Count; i++)
            {
                stream[offset++] = ids[i];
            }
        }

        return stream;
    }
}
