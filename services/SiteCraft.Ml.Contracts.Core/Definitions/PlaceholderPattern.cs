using System.Text.RegularExpressions;

namespace SiteCraft.Ml.Contracts.Core.Definitions;

/// <summary>A named pattern whose match marks text as unfinished template copy.</summary>
public sealed record PlaceholderPattern(string Name, Regex Pattern);
