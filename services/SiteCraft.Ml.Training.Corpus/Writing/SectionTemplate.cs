namespace SiteCraft.Ml.Training.Corpus.Writing;

/// <summary>
/// The wording bank for one section type: headings, a one-sentence body (FAQ bodies are a
/// question and its answer) and extra sentences that may follow it. All use <see cref="CopyContext"/> slots.
/// </summary>
internal sealed record SectionTemplate(IReadOnlyList<string> Headings, IReadOnlyList<string> Bodies, IReadOnlyList<string> Extras);
