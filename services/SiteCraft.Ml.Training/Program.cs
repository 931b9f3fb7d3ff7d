using SiteCraft.Ml.Training.Commands;
using SiteCraft.Ml.Training.Native;

// libtorch must be loadable before the first TorchSharp call; see LibTorchCompatibility.
LibTorchCompatibility.EnsureLoadable();

var root = new RootCommand("Train SiteCraft's from-scratch language model and manage its artifacts.")
{
    TrainCommand.Create(),
    CorpusCommand.Create(),
    SuitesCommand.Create(),
    RegisterCommand.Create(),
};

return await ProgramRunner.RunAsync(root, args);
