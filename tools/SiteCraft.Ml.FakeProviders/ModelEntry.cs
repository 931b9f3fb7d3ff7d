namespace SiteCraft.Ml.FakeProviders;

/// <summary>A model name seen by the fake: its parsed behaviour and how many requests named it.</summary>
internal sealed class ModelEntry
{
    private int _count;

    public ModelEntry(string name)
    {
        Name = name;
        Behavior = ModelBehavior.Parse(name);
        FixedAnswer = Behavior.Words is { } n
            ? Words.Numbered(n)
            : Behavior.JudgePercent is { } percent
                ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $$"""{"score": {{percent / 100.0}}, "reason": "the fake judge gives {{percent}}%"}""")
                : null;
    }

    public string Name { get; }

    public ModelBehavior Behavior { get; }

    /// <summary>The answer for <c>words-n</c> or <c>judge-NN</c>, built once; null when the model echoes.</summary>
    public string? FixedAnswer { get; }

    public int Count => Volatile.Read(ref _count);

    public void Increment() => Interlocked.Increment(ref _count);

    public void ResetCount() => Interlocked.Exchange(ref _count, 0);
}
