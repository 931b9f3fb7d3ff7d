using System.CommandLine;
using SiteCraft.Ml.Benchmarks.Inference;

var root = new RootCommand("Benchmarks of SiteCraft.Ml services, run against the real AppHost graph.")
{
    InferenceCommand.Create(),
};

return await root.Parse(args).InvokeAsync();
