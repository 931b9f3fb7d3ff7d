namespace SiteCraft.Ml.Training.Corpus.Briefs;

/// <summary>
/// How a tone sounds: adjectives that read after "a" or "so", opening sentences and closing
/// sentences. Sentences may use the template slots of <see cref="Writing.CopyContext"/>.
/// </summary>
internal sealed record ToneProfile(string Name, IReadOnlyList<string> Adjectives, IReadOnlyList<string> Openers, IReadOnlyList<string> Closers);
