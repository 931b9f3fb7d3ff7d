using SiteCraft.Ml.Training.Corpus;

namespace SiteCraft.Ml.Training.Commands;

/// <summary><c>sitecraft-train corpus</c>: writes the synthetic corpus as sitecraft-chat-jsonl/1, to inspect or to ingest.</summary>
internal static class CorpusCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "JSONL file to write.", Required = true };
        var briefs = new Option<int>("--briefs") { Description = "Business briefs (4 examples each).", DefaultValueFactory = _ => 1000 };
        var seed = new Option<int>("--seed") { Description = "Corpus seed.", DefaultValueFactory = _ => 20261126 };
        var command = new Command("corpus", "Write the synthetic SiteCraft corpus to a JSONL file.") { output, briefs, seed };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(output)!;
            using (var stream = File.Create(path))
            {
                SiteCorpus.WriteJsonl(SiteCorpus.Generate(parse.GetValue(seed), parse.GetValue(briefs)), stream);
            }

            Console.WriteLine($"wrote {path}");
            return 0;
        });
        return command;
    }
}
