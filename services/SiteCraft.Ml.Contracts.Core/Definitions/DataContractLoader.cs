using System.Security.Cryptography;
using System.Text;
using SiteCraft.Ml.Contracts.Core.Definitions.Loading;
using SiteCraft.Ml.Contracts.Core.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace SiteCraft.Ml.Contracts.Core.Definitions;

/// <summary>
/// Loads a data contract from YAML and checks it: required keys, semantic version, logical
/// types, regexes, quality rule shapes, SLA and curation settings. Every problem is reported
/// with the file, line and column, so a malformed contract fails the start with a message a
/// person can act on.
/// </summary>
public static class DataContractLoader
{
    /// <summary>Reads and checks a contract file.</summary>
    /// <exception cref="ContractLoadException">The file is not a valid contract; the message names file, line, column and problem.</exception>
    public static async Task<DataContract> LoadFileAsync(string path, CancellationToken cancellationToken)
    {
        var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
        return Load(bytes, path);
    }

    /// <inheritdoc cref="Load(ReadOnlySpan{byte}, string)"/>
    public static DataContract Load(string yaml, string source) => Load(Encoding.UTF8.GetBytes(yaml), source);

    /// <summary>Checks a contract given as UTF-8 bytes; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="ContractLoadException">The contract is invalid.</exception>
    public static DataContract Load(ReadOnlySpan<byte> utf8, string source) =>
        TryLoad(utf8, source, out var contract, out var errors) ? contract : throw new ContractLoadException(errors);

    /// <summary>Checks a contract without throwing; on failure <paramref name="errors"/> holds every problem found.</summary>
    public static bool TryLoad(ReadOnlySpan<byte> utf8, string source, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out DataContract? contract, out IReadOnlyList<ContractError> errors)
    {
        contract = null;
        var nodes = new YamlNodes(source);
        errors = nodes.Errors;

        if (Utf8Text.FirstInvalidByte(utf8) is var invalid && invalid >= 0)
        {
            var (line, column) = Utf8Text.LineAndColumn(utf8, invalid);
            nodes.Error(new Mark(invalid, line, column), $"the file is not valid UTF-8 (byte 0x{utf8[invalid]:x2} at offset {invalid})");
            return false;
        }

        var body = Encoding.UTF8.GetString(utf8);
        var stream = new YamlStream();
        var parser = new YamlDotNet.Core.Parser(new StringReader(body));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            nodes.Error(e.Start, $"not valid YAML: {YamlProblem(e)}");
            return false;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this on some broken flow collections; the last event read marks the spot.
            nodes.Error(parser.Current?.End ?? new Mark(0, 1, 1), "not valid YAML: the structure breaks off here (an unclosed [ or { ?)");
            return false;
        }

        if (stream.Documents.Count == 0)
        {
            nodes.Error(new Mark(0, 1, 1), "the file is empty; expected a data contract");
            return false;
        }

        if (stream.Documents.Count > 1)
        {
            nodes.Error(stream.Documents[1].RootNode, "a contract file holds one YAML document, this one has more");
            return false;
        }

        var parsed = new ContractReader(nodes).Contract(stream.Documents[0].RootNode);
        if (parsed is null || nodes.Errors.Count > 0)
        {
            return false;
        }

        contract = parsed with
        {
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(utf8)),
            Body = body,
            Source = source,
        };
        return true;
    }

    private static string YamlProblem(YamlException e)
    {
        // YamlDotNet prefixes the position, which the error already carries.
        var message = e.Message;
        var dash = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith("(Line:", StringComparison.Ordinal) && dash > 0 ? message[(dash + 3)..] : message;
    }
}
