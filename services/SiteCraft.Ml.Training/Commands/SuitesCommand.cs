using SiteCraft.Ml.Training.Corpus.Evals;

namespace SiteCraft.Ml.Training.Commands;

/// <summary><c>sitecraft-train suites</c>: writes the eval suites of the three use cases from held-out briefs, to commit in docs/evals/suites.</summary>
internal static class SuitesCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Folder for the suite files.", DefaultValueFactory = _ => "docs/evals/suites" };
        var seed = new Option<int>("--seed") { Description = "Held-out brief seed (not the corpus's nor the quality check's).", DefaultValueFactory = _ => EvalSuites.DefaultSeed };
        var command = new Command("suites", "Write the eval suites (page JSON, section copy, SEO meta) from held-out briefs.") { output, seed };
        command.SetAction(parse =>
        {
            foreach (var path in EvalSuiteWriter.WriteAll(parse.GetValue(output)!, parse.GetValue(seed)))
            {
                Console.WriteLine($"wrote {path}");
            }

            return 0;
        });
        return command;
    }
}
