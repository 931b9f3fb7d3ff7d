using SiteCraft.Ml.Cli.Commands;

var root = new RootCommand("SiteCraft ML on the command line: data contracts, training data and evaluations.")
{
    ContractsCommands.Create(),
    DataCommands.Create(),
    EvalCommands.Create(),
};

return await CommandRunner.RunAsync(root, args);
