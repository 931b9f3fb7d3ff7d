using System.Globalization;
using System.Text.Json;

namespace SiteCraft.Ml.Evals.Core.Scoring;

/// <summary>
/// RFC 6901 JSON Pointers ("/sections/0/heading") over <see cref="JsonElement"/>: "" is the whole
/// document, <c>~1</c> stands for '/' and <c>~0</c> for '~' in a reference token.
/// </summary>
public static class JsonPointer
{
    /// <summary>Why <paramref name="path"/> is not a JSON Pointer; null when it is one.</summary>
    public static string? Problem(string path)
    {
        if (path.Length > 0 && path[0] != '/')
        {
            return $"'{path}' is not a JSON Pointer (it must be empty or start with '/')";
        }

        for (var i = 0; i < path.Length; i++)
        {
            if (path[i] == '~' && (i + 1 == path.Length || path[i + 1] is not ('0' or '1')))
            {
                return string.Create(CultureInfo.InvariantCulture, $"'{path}' has a '~' at character {i} that is not ~0 or ~1");
            }
        }

        return null;
    }

    /// <summary>The reference tokens of a valid path, unescaped (~1 before ~0, as RFC 6901 §4 says).</summary>
    public static IReadOnlyList<string> Tokens(string path) =>
        path.Length == 0 ? [] : [.. path[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))];

    /// <summary>Finds the value <paramref name="path"/> references; false when the path is invalid or leads nowhere.</summary>
    public static bool TryResolve(JsonElement root, string path, out JsonElement value)
    {
        value = root;
        if (Problem(path) is not null)
        {
            return false;
        }

        foreach (var token in Tokens(path))
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.Object when value.TryGetProperty(token, out var property):
                    value = property;
                    break;
                case JsonValueKind.Array when IsIndex(token) && int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < value.GetArrayLength():
                    value = value[index];
                    break;
                default:
                    value = default;
                    return false;
            }
        }

        return true;
    }

    // RFC 6901 §4: an array index is "0" or digits without a leading zero ("-" names the element past the end, which has no value).
    private static bool IsIndex(string token) =>
        token.Length > 0 && token.All(char.IsAsciiDigit) && (token.Length == 1 || token[0] != '0');
}
