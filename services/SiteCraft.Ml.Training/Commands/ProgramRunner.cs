using SiteCraft.Ml.Training.Data;

namespace SiteCraft.Ml.Training.Commands;

/// <summary>Exit codes as in sitecraft-ml: 0 done, 1 the run failed, 2 usage or input error (one line on stderr).</summary>
internal static class ProgramRunner
{
    public const string Name = "sitecraft-train";

    public static async Task<int> RunAsync(RootCommand root, string[] args)
    {
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await Console.Error.WriteLineAsync($"{Name}: {error.Message} (see '{Name} --help')");
            }

            return 2;
        }

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (TrainingInputException e)
        {
            await Console.Error.WriteLineAsync($"{Name}: {e.Message}");
            return 2;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync($"{Name}: cancelled; rerun with --resume to continue from the last checkpoint");
            return 130;
        }
    }
}
