using System.CommandLine.Invocation;
using System.CommandLine.Parsing;

namespace SiteCraft.Ml.Cli.Commands;

/// <summary>
/// Parses and runs a command tree with sitecraft-ml's conventions: a parse error or a
/// <see cref="UsageException"/> is one line on stderr naming what is wrong, and exit code 2,
/// instead of System.CommandLine's help dump and exit code 1 (which means "found violations" here).
/// </summary>
public static class CommandRunner
{
    public const string Name = "sitecraft-ml";

    public static async Task<int> RunAsync(RootCommand root, string[] args)
    {
        var parse = root.Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            var help = string.Join(' ', [Name, .. CommandPath(parse.CommandResult), "--help"]);
            foreach (var error in parse.Errors)
            {
                await Console.Error.WriteLineAsync($"{Name}: {error.Message} (see '{help}')");
            }

            return ExitCodes.Usage;
        }

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (UsageException e)
        {
            await Console.Error.WriteLineAsync($"{Name}: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync($"{Name}: cancelled");
            return ExitCodes.Cancelled;
        }
    }

    /// <summary>The subcommands given before the error (e.g. "contracts validate"), for the pointer to their help.</summary>
    private static List<string> CommandPath(CommandResult command)
    {
        var names = new List<string>();
        for (var result = command; result.Parent is CommandResult parent; result = parent)
        {
            names.Add(result.Command.Name);
        }

        names.Reverse();
        return names;
    }
}
