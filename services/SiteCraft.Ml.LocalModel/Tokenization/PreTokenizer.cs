using System.Text.RegularExpressions;

namespace SiteCraft.Ml.LocalModel.Tokenization;

/// <summary>GPT-2's pre-tokenization: the regex that cuts text into words before byte-level BPE.</summary>
internal static partial class PreTokenizer
{
    // The pattern of GPT-2 and of Hugging Face's ByteLevel pre-tokenizer (use_regex: true), character for character.
    [GeneratedRegex(@"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+")]
    public static partial Regex Words();
}
