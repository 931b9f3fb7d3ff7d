namespace SiteCraft.Ml.Training.Corpus.Writing;

/// <summary>
/// Counts sentences the way the copy rules mean them: a '.', '!' or '?' followed by a space or the
/// end, except that a question followed by its answer ("Do you offer X? Yes, ...") counts once.
/// </summary>
internal static class Sentences
{
    public static int Count(string text)
    {
        var count = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var ends = text[i] is '.' or '!' || (text[i] == '?' && i == text.Length - 1);
            if (ends && (i == text.Length - 1 || text[i + 1] == ' '))
            {
                count++;
            }
        }

        return count;
    }
}
