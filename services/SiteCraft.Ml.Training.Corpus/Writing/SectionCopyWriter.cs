namespace SiteCraft.Ml.Training.Corpus.Writing;

/// <summary>
/// Writes the site.section.copy completion: plain text, two or three sentences, 150 to 450
/// characters, with the brief's tone in its opening or closing sentence.
/// </summary>
internal static class SectionCopyWriter
{
    public const int MinLength = 150;
    public const int MaxLength = 450;

    public static string Write(CopyContext context, string sectionType)
    {
        var template = SectionTemplates.For(sectionType);
        var bodies = context.Random.PickDistinct(template.Bodies, 2, keepOrder: false);
        var body = context.Fill(bodies[0]);
        var second = context.Fill(bodies[1]);
        var opener = context.Pick(context.Tone.Openers);
        var extra = template.Extras.Count > 0 ? context.Pick(template.Extras) : opener;
        var closer = context.Pick(context.Tone.Closers);

        // Preferred shapes first, the leading one chosen at random; the first that meets the rules wins.
        List<string[]> shapes =
        [
            [opener, body, closer], [body, second, closer], [body, extra, closer], [opener, body, second],
            [second, extra, closer], [opener, second, closer], [body, second, extra], [opener, body, extra],
            [body, second], [body, closer], [opener, body], [body, extra], [opener, body, extra, closer], [opener, body, second, closer],
        ];
        var first = context.Random.Next(3);
        (shapes[0], shapes[first]) = (shapes[first], shapes[0]);

        var texts = shapes.Select(shape => string.Join(' ', shape)).ToList();

        // A short question-and-answer or a short closer can miss 150 characters in three sentences; then a fourth is allowed.
        return texts.FirstOrDefault(t => t.Length is >= MinLength and <= MaxLength && Sentences.Count(t) is 2 or 3)
            ?? texts.FirstOrDefault(t => t.Length is >= MinLength and <= MaxLength && Sentences.Count(t) <= 4)
            ?? texts.First(t => t.Length <= MaxLength);
    }
}
