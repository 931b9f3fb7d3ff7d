namespace SiteCraft.Ml.FakeProviders;

/// <summary>
/// Walks an answer one streamed chunk at a time: each chunk is a word with the whitespace
/// before it (the last also takes the whitespace after), so the chunks join back to the text.
/// A struct of offsets rather than spans, so it can live across awaits.
/// </summary>
internal struct WordChunker(string text)
{
    private int _position;

    public bool Next(out int start, out int length)
    {
        start = _position;
        var i = _position;
        while (i < text.Length && Words.IsSeparator(text[i]))
        {
            i++;
        }

        if (i == text.Length)
        {
            length = 0;
            return false;
        }

        while (i < text.Length && !Words.IsSeparator(text[i]))
        {
            i++;
        }

        var end = i;
        while (end < text.Length && Words.IsSeparator(text[end]))
        {
            end++;
        }

        _position = end == text.Length ? end : i;
        length = _position - start;
        return true;
    }
}
