namespace SiteCraft.Ml.Contracts.Core.Validation;

/// <summary>The names validation gives its rules, as they appear in <see cref="Violation.Rule"/>.</summary>
public static class ViolationRules
{
    public const string Utf8 = "encoding.utf8";
    public const string Surrogate = "encoding.surrogate";
    public const string Syntax = "json.syntax";
    public const string Depth = "json.depth";
    public const string DuplicateKey = "json.duplicateKey";
    public const string Type = "type";
    public const string Required = "required";
    public const string UnknownField = "unknownField";
    public const string MinLength = "minLength";
    public const string MaxLength = "maxLength";
    public const string Pattern = "pattern";
    public const string Format = "format";
    public const string ValidValues = "validValues";
    public const string MissingValues = "missingValues";
    public const string NullValues = "nullValues";
    public const string MinItems = "minItems";
    public const string MaxItems = "maxItems";
    public const string Minimum = "minimum";
    public const string Maximum = "maximum";
    public const string Truncated = "violations.truncated";
}
