namespace SiteCraft.Ml.FakeProviders;

/// <summary>
/// The fake's token unit: a run of non-whitespace. Only ASCII whitespace separates words, so
/// counting raw UTF-8 and counting decoded text always agree.
/// </summary>
internal static class Words
{
    public static bool IsSeparator(int c) => c is ' ' or '\t' or '\n' or '\r' or '\v' or '\f';

    public static int Count(ReadOnlySpan<byte> utf8)
    {
        var count = 0;
        var inWord = false;
        foreach (var b in utf8)
        {
            var separator = IsSeparator(b);
            if (!separator && !inWord)
            {
                count++;
            }

            inWord = !separator;
        }

        return count;
    }

    public static int Count(ReadOnlySpan<char> text)
    {
        var count = 0;
        var inWord = false;
        foreach (var c in text)
        {
            var separator = IsSeparator(c);
            if (!separator && !inWord)
            {
                count++;
            }

            inWord = !separator;
        }

        return count;
    }

    /// <summary>"w1 w2 ... wn".</summary>
    public static string Numbered(int n)
    {
        var builder = new StringBuilder();
        for (var i = 1; i <= n; i++)
        {
            if (i > 1)
            {
                builder.Append(' ');
            }

            builder.Append('w').Append(i);
        }

        return builder.ToString();
    }
}
