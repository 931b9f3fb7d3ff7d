using System.Text;
using SiteCraft.Ml.Contracts.Core.Definitions;
using SiteCraft.Ml.Contracts.Core.Text;

namespace SiteCraft.Ml.Contracts.Core.Validation;

/// <summary>
/// Checks records against a data contract and reports every violation, not only the first
/// (lazy validation, as Pandera does). Pure and thread-safe: it keeps no state between records.
/// Bytes that are not UTF-8, lone surrogates, JSON nested past the contract's depth and 10 MB
/// fields are reported as violations; none of them throws.
/// </summary>
public sealed class ContractValidator
{
    /// <summary>A hostile record could break every rule in every array item; past this many the rest are counted, not listed.</summary>
    public const int MaxViolationsPerRecord = 200;

    private readonly SchemaNode _root;
    private readonly JsonDocumentOptions _documentOptions;

    public ContractValidator(DataContract contract)
    {
        Contract = contract;
        _root = new SchemaNode(contract.Schema);
        _documentOptions = new JsonDocumentOptions { MaxDepth = contract.MaxDepth };
    }

    public DataContract Contract { get; }

    /// <summary>Validates one record given as UTF-8 JSON, for example one line of a JSONL file.</summary>
    public ValidationResult Validate(ReadOnlyMemory<byte> utf8Json)
    {
        var result = Validate(utf8Json, out var document);
        document?.Dispose();
        return result;
    }

    /// <summary>Validates a parsed record.</summary>
    public ValidationResult Validate(JsonElement record)
    {
        var walk = new RecordWalk();
        walk.Value(record, _root);
        return walk.Result();
    }

    /// <summary>
    /// Validates and hands back the parsed document (the caller disposes it) so curation reads
    /// the record without parsing it twice. The document is null when the bytes are not JSON.
    /// </summary>
    internal ValidationResult Validate(ReadOnlyMemory<byte> utf8Json, out JsonDocument? document)
    {
        var walk = new RecordWalk();
        document = null;

        // A byte order mark is how some tools start a UTF-8 file; it is not part of the record.
        var bytes = utf8Json.Span.StartsWith("\uFEFF"u8) ? utf8Json[3..] : utf8Json;
        if (Utf8Text.FirstInvalidByte(bytes.Span) is var invalid and >= 0)
        {
            var span = bytes.Span;
            var around = Convert.ToHexStringLower(span.Slice(invalid, Math.Min(8, span.Length - invalid)));
            walk.Add("$", ViolationRules.Utf8, $"the record is not valid UTF-8: byte 0x{span[invalid]:x2} at offset {invalid} starts no valid sequence", around);

            // Go on with the bad bytes replaced by U+FFFD, so the other violations are reported too.
            bytes = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(span));
        }

        try
        {
            document = JsonDocument.Parse(bytes, _documentOptions);
        }
        catch (JsonException e)
        {
            ReportUnparsable(bytes.Span, e, ref walk);
            return walk.Result();
        }

        walk.Value(document.RootElement, _root);
        return walk.Result();
    }

    private void ReportUnparsable(ReadOnlySpan<byte> bytes, JsonException e, ref RecordWalk walk)
    {
        // The parser's exception does not say whether depth or syntax failed it; a second,
        // depth-unlimited read does. Only broken records pay for it.
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = int.MaxValue });
        try
        {
            while (reader.Read())
            {
                if (reader.CurrentDepth >= Contract.MaxDepth)
                {
                    walk.Add("$", ViolationRules.Depth, $"the record nests deeper than the {Contract.MaxDepth} levels the contract allows (at byte {reader.TokenStartIndex})", null);
                    return;
                }
            }
        }
        catch (JsonException)
        {
        }

        var excerpt = Excerpt.Of(Encoding.UTF8.GetString(bytes[..Math.Min(bytes.Length, 400)]), bytes.Length > 400);
        walk.Add("$", ViolationRules.Syntax, $"the record is not valid JSON: line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}", excerpt);
    }
}
