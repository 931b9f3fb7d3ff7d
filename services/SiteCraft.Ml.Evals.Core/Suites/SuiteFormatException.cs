using System.Globalization;

namespace SiteCraft.Ml.Evals.Core.Suites;

/// <summary>A suite file that cannot be used: its path, the 1-based line of the problem and the reason, as "file:line: reason".</summary>
public sealed class SuiteFormatException : Exception
{
    public SuiteFormatException(string file, int line, string reason)
        : base(string.Create(CultureInfo.InvariantCulture, $"{file}:{line}: {reason}"))
    {
        File = file;
        Line = line;
        Reason = reason;
    }

    public SuiteFormatException()
        : this("(unknown file)", 1, "the suite file is invalid")
    {
    }

    public SuiteFormatException(string message)
        : this("(unknown file)", 1, message)
    {
    }

    public SuiteFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        File = "(unknown file)";
        Line = 1;
        Reason = message;
    }

    public string File { get; }

    public int Line { get; }

    public string Reason { get; }
}
