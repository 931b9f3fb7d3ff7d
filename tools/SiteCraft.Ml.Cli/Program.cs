using SiteCraft.Ml.Cli.Commands;

var root = new RootCommand("SiteCraft ML on the command line: data contracts and training data; evaluations to come.")
{
    ContractsCommands.Create(),
    DataCommands.Create(),
};

return await CommandRunner.RunAsync(root, args);
