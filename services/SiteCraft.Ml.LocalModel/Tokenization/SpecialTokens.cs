namespace SiteCraft.Ml.LocalModel.Tokenization;

/// <summary>
/// The six special tokens, with fixed ids 0..5 in every tokenizer this project trains or loads.
/// </summary>
public static class SpecialTokens
{
    /// <summary>Document separator and beginning of sequence (id 0).</summary>
    public const string EndOfText = "<|endoftext|>";

    /// <summary>Opens a system turn (id 1).</summary>
    public const string System = "<|system|>";

    /// <summary>Opens a user turn (id 2).</summary>
    public const string User = "<|user|>";

    /// <summary>Opens an assistant turn; the generation prompt (id 3).</summary>
    public const string Assistant = "<|assistant|>";

    /// <summary>Ends a turn; the end-of-sequence token for generation (id 4).</summary>
    public const string End = "<|end|>";

    /// <summary>Padding (id 5).</summary>
    public const string Pad = "<|pad|>";

    public const int EndOfTextId = 0;
    public const int SystemId = 1;
    public const int UserId = 2;
    public const int AssistantId = 3;
    public const int EndId = 4;
    public const int PadId = 5;

    /// <summary>The special tokens in id order: <c>All[id]</c> is the text of special token <c>id</c>.</summary>
    public static IReadOnlyList<string> All { get; } = [EndOfText, System, User, Assistant, End, Pad];

    /// <summary>The id of <paramref name="text"/> when it is a special token, otherwise -1.</summary>
    public static int IdOf(string text) => text switch
    {
        EndOfText => EndOfTextId,
        System => SystemId,
        User => UserId,
        Assistant => AssistantId,
        End => EndId,
        Pad => PadId,
        _ => -1,
    };

    /// <summary>
    /// The id of the special token that starts at <paramref name="index"/> in <paramref name="text"/>, or -1.
    /// </summary>
    internal static int MatchAt(ReadOnlySpan<char> text, int index)
    {
        var rest = text[index..];
        for (var id = 0; id < All.Count; id++)
        {
            if (rest.StartsWith(All[id], StringComparison.Ordinal))
            {
                return id;
            }
        }

        return -1;
    }

    /// <summary>
    /// Splits <paramref name="text"/> at exact occurrences of special tokens, in order: stretches of ordinary
    /// text (SpecialId -1, never empty) and special tokens (SpecialId 0..5).
    /// </summary>
    internal static IEnumerable<(int Start, int Length, int SpecialId)> Split(string text)
    {
        var start = 0;
        var search = 0;
        while (search < text.Length)
        {
            var at = text.IndexOf("<|", search, StringComparison.Ordinal);
            if (at < 0)
            {
                break;
            }

            var id = MatchAt(text, at);
            if (id < 0)
            {
                search = at + 1;
                continue;
            }

            if (at > start)
            {
                yield return (start, at - start, -1);
            }

            yield return (at, All[id].Length, id);
            start = search = at + All[id].Length;
        }

        if (text.Length > start)
        {
            yield return (start, text.Length - start, -1);
        }
    }
}
