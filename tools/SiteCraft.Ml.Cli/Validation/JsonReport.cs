using System.Text.Encodings.Web;
using System.Text.Json;
using SiteCraft.Ml.Contracts.Core.Definitions;

namespace SiteCraft.Ml.Cli.Validation;

/// <summary>
/// The report for CI: one JSON document on stdout with the counts, the count per rule and the
/// listed invalid records with their line numbers and every violation.
/// </summary>
public static class JsonReport
{
    private static readonly byte[] s_newline = "\n"u8.ToArray();

    public static async Task WriteAsync(string file, DataContract contract, ValidationTally tally, CancellationToken cancellationToken)
    {
        await using var stdout = Console.OpenStandardOutput();
        await using var json = new Utf8JsonWriter(stdout, new JsonWriterOptions
        {
            Indented = true,
            // Messages and excerpts hold text from the records; this output is read by programs, not put in a page.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });
        json.WriteStartObject();
        json.WriteString("file", file);
        json.WriteString("contract", contract.Id);
        json.WriteString("contract_version", contract.Version);
        json.WriteNumber("record_count", tally.Records);
        json.WriteNumber("valid_count", tally.Valid);
        json.WriteNumber("invalid_count", tally.Invalid);
        json.WriteNumber("violation_count", tally.Violations);
        json.WriteNumber("unlisted_invalid_count", tally.Unlisted);

        json.WriteStartArray("rules");
        foreach (var rule in tally.Rules)
        {
            json.WriteStartObject();
            json.WriteString("rule", rule.Rule);
            json.WriteNumber("violation_count", rule.Violations);
            json.WriteNumber("record_count", rule.Records);
            json.WriteEndObject();
        }

        json.WriteEndArray();

        json.WriteStartArray("records");
        foreach (var record in tally.Listed)
        {
            json.WriteStartObject();
            json.WriteNumber("line", record.Line);
            json.WriteStartArray("violations");
            foreach (var violation in record.Violations)
            {
                json.WriteStartObject();
                json.WriteString("path", violation.Path);
                json.WriteString("rule", violation.Rule);
                json.WriteString("message", violation.Message);
                json.WriteString("excerpt", violation.Excerpt);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken);
        await stdout.WriteAsync(s_newline, cancellationToken);
    }
}
