using SiteCraft.Ml.Cli.Commands;

var root = new RootCommand("SiteCraft ML on the command line: data contracts now; training data and evaluations to come.")
{
    ContractsCommands.Create(),
};

return await CommandRunner.RunAsync(root, args);
