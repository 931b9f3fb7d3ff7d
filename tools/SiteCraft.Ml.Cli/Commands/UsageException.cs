namespace SiteCraft.Ml.Cli.Commands;

/// <summary>
/// The command was called or configured wrongly (a missing file, an unknown contract, a bad
/// contract folder). <see cref="CommandRunner"/> prints the message as one line on stderr and
/// exits with <see cref="ExitCodes.Usage"/>; the message names the option or file at fault.
/// </summary>
public sealed class UsageException : Exception
{
    public UsageException()
        : this("the command was called wrongly")
    {
    }

    public UsageException(string message)
        : base(message)
    {
    }

    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
