namespace SiteCraft.Ml.Cli.Validation;

/// <summary>How a validation report is written to stdout.</summary>
public enum ReportFormat
{
    /// <summary>FILE:LINE: lines per violation, a summary line and a table of rules: for people and editors.</summary>
    Text,

    /// <summary>One JSON document with the summary and the listed records: for CI.</summary>
    Json,
}
