using System.Globalization;
using System.Text;
using SiteCraft.Ml.Contracts.Core.Definitions;
using SiteCraft.Ml.Contracts.Core.Validation;
using Spectre.Console;

namespace SiteCraft.Ml.Cli.Validation;

/// <summary>
/// The report for people and editors: FILE:LINE: path rule: message (excerpt) for each violation of
/// the listed records, the summary line, and how often each rule was broken.
/// </summary>
public static class TextReport
{
    public static async Task WriteAsync(string file, DataContract contract, ValidationTally tally, CancellationToken cancellationToken)
    {
        await using var stdout = Console.OpenStandardOutput();
        await using (var writer = new StreamWriter(stdout, new UTF8Encoding(false), 64 * 1024, leaveOpen: true))
        {
            foreach (var record in tally.Listed)
            {
                foreach (var violation in record.Violations)
                {
                    await writer.WriteLineAsync(Line(file, record.Line, violation).AsMemory(), cancellationToken);
                }
            }

            if (tally.Unlisted > 0)
            {
                await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"… and {tally.Unlisted:N0} more invalid records, counted below but not listed (--show {tally.ListLimit}; raise it to list more)"));
            }

            await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{tally.Records:N0} records: {tally.Valid:N0} valid, {tally.Invalid:N0} invalid ({contract.Key})"));
        }

        if (tally.Rules.Count > 0)
        {
            RuleTable(tally.Rules);
        }
    }

    public static string Line(string file, long line, Violation violation)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{file}:{line}: {violation.Path} {violation.Rule}: {violation.Message}");
        return Printable(violation.Excerpt is null ? text : $"{text} ({violation.Excerpt})");
    }

    private static void RuleTable(IReadOnlyList<RuleCount> rules)
    {
        var redirected = Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Out),
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = InteractionSupport.No,
        });
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("rule")
            .AddColumn(new TableColumn("violations").RightAligned())
            .AddColumn(new TableColumn("records").RightAligned());
        foreach (var rule in rules)
        {
            table.AddRow(
                Markup.Escape(rule.Rule),
                rule.Violations.ToString("N0", CultureInfo.InvariantCulture),
                rule.Records.ToString("N0", CultureInfo.InvariantCulture));
        }

        console.Write(table);
    }

    /// <summary>
    /// A line that is not JSON is quoted as it was sent, and may hold control characters (an escape
    /// sequence would drive the terminal); they are shown as \u001b and so on instead.
    /// </summary>
    private static string Printable(string text)
    {
        if (!text.AsSpan().ContainsAnyInRange('\0', '\u001f') && !text.Contains('\u007f', StringComparison.Ordinal))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (char.IsControl(c))
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
