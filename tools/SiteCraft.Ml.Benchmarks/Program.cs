using System.CommandLine;
using SiteCraft.Ml.Benchmarks.Contracts;
using SiteCraft.Ml.Benchmarks.Evals;
using SiteCraft.Ml.Benchmarks.Inference;
using SiteCraft.Ml.Benchmarks.LocalModel;

var root = new RootCommand("Benchmarks of SiteCraft.Ml: the services against the real AppHost graph, the libraries in process.")
{
    InferenceCommand.Create(),
    ContractsCommand.Create(),
    IngestCommand.Create(),
    LocalModelCommand.Create(),
    EvalsCommand.Create(),
    EvalsRunCommand.Create(),
};

return await root.Parse(args).InvokeAsync();
