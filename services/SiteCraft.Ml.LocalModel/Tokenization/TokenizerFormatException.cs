namespace SiteCraft.Ml.LocalModel.Tokenization;

/// <summary>
/// A <c>tokenizer.json</c> that is malformed or inconsistent; the message names the file (when read from one)
/// and what is wrong with it.
/// </summary>
public sealed class TokenizerFormatException : Exception
{
    public TokenizerFormatException()
    {
    }

    public TokenizerFormatException(string message)
        : base(message)
    {
    }

    public TokenizerFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
