using System.Globalization;
using SiteCraft.Ml.Cli.Commands;
using SiteCraft.Ml.Cli.Jsonl;
using SiteCraft.Ml.Cli.Terminal;
using SiteCraft.Ml.Contracts.Core.Validation;

namespace SiteCraft.Ml.Cli.Validation;

/// <summary>
/// Validates every line of a JSONL file against one contract, streaming, and reports: exit 0 when
/// every record keeps the contract, 1 when any breaks it.
/// </summary>
public static class JsonlValidation
{
    /// <summary>The rule reported for a line too long to read as one record.</summary>
    public const string LineTooLongRule = "jsonl.lineLength";

    /// <summary>Lines between progress updates: often enough to move the bar, rare enough to cost nothing.</summary>
    private const int ProgressEvery = 1024;

    public static async Task<int> RunAsync(FileInfo file, ContractValidator validator, ReportFormat format, int show, CancellationToken cancellationToken)
    {
        var tally = new ValidationTally(show);
        try
        {
            await using var stream = JsonlReader.OpenFile(file);
            await using var reader = new JsonlReader(stream);
            await FileProgress.RunAsync(file.Name, stream.Length, async update =>
            {
                var sinceUpdate = 0;
                await foreach (var line in reader.ReadLinesAsync(cancellationToken))
                {
                    tally.Add(line.Number, line.IsTooLong ? TooLong(line, reader.MaxLineBytes) : validator.Validate(line.Bytes));
                    if (++sinceUpdate == ProgressEvery)
                    {
                        sinceUpdate = 0;
                        update(reader.Position, tally.Records);
                    }
                }

                update(reader.Position, tally.Records);
            });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read '{file}': {e.Message}", e);
        }

        var displayName = file.ToString();
        if (format == ReportFormat.Json)
        {
            await JsonReport.WriteAsync(displayName, validator.Contract, tally, cancellationToken);
        }
        else
        {
            await TextReport.WriteAsync(displayName, validator.Contract, tally, cancellationToken);
        }

        return tally.Invalid == 0 ? ExitCodes.Ok : ExitCodes.Findings;
    }

    private static ValidationResult TooLong(JsonlLine line, int maxLineBytes) => new(
    [
        new Violation("$", LineTooLongRule, string.Create(CultureInfo.InvariantCulture,
            $"the line is {line.Length:N0} bytes, more than the {maxLineBytes:N0} read as one record; it was not validated"), null),
    ]);
}
