using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using SiteCraft.Ml.Evals.V1;
using SiteCraft.Ml.IntegrationTests.Inference;

namespace SiteCraft.Ml.IntegrationTests.Evals;

/// <summary>An inference scope (its own environment and fake providers) plus a client of the eval service.</summary>
public sealed class EvalScope : IAsyncDisposable
{
    public const string CopySuite = "test-echo-copy";
    public const string SeoSuite = "test-echo-seo";

    private readonly GrpcChannel _channel;

    private EvalScope(InferenceScope inference, GrpcChannel channel)
    {
        Inference = inference;
        _channel = channel;
        Evals = new EvalService.EvalServiceClient(channel.Intercept(metadata =>
        {
            metadata.Add("authorization", $"Bearer {inference.AdminToken}");
            return metadata;
        }));
        Anonymous = new EvalService.EvalServiceClient(channel);
    }

    public InferenceScope Inference { get; }

    /// <summary>A client that sends the admin token (StartRun and EvaluateGate need it).</summary>
    public EvalService.EvalServiceClient Evals { get; }

    /// <summary>A client without the token.</summary>
    public EvalService.EvalServiceClient Anonymous { get; }

    public string Environment => Inference.Environment;

    /// <summary>A fresh environment whose fake OpenAI-compatible server serves <paramref name="models"/>, once the service lists them.</summary>
    public static async Task<EvalScope> CreateAsync(PlatformFixture platform, bool gated = false, params string[] models)
    {
        var inference = await InferenceScope.CreateAsync(platform, gated);
        foreach (var model in models)
        {
            await inference.RegisterModelAsync(InferenceScope.OpenAIProvider, model);
        }

        var scope = new EvalScope(inference, GrpcChannel.ForAddress(platform.App.GetEndpoint("evals", "grpc")));
        await scope.WaitForModelsAsync(models);
        return scope;
    }

    public StartRunRequest Pinned(string suite, string model, int limit = 0) => new()
    {
        SuiteId = suite,
        Environment = Environment,
        Provider = InferenceScope.OpenAIProvider,
        Model = model,
        Limit = limit,
        RequestedBy = "tests",
    };

    /// <summary>Starts a run and follows WatchRun to its last event; returns the final run.</summary>
    public async Task<Run> RunToEndAsync(StartRunRequest request, TimeSpan? timeout = null)
    {
        var started = await Evals.StartRunAsync(request);
        return await WatchToEndAsync(started.RunId, timeout);
    }

    public async Task<Run> WatchToEndAsync(string runId, TimeSpan? timeout = null)
    {
        using var call = Evals.WatchRun(new WatchRunRequest { RunId = runId }, deadline: DateTime.UtcNow + (timeout ?? TimeSpan.FromMinutes(2)));
        RunProgress? last = null;
        await foreach (var progress in call.ResponseStream.ReadAllAsync())
        {
            Assert.True(progress.DoneSamples <= progress.TotalSamples, $"{progress.DoneSamples} of {progress.TotalSamples}");
            last = progress;
        }

        Assert.NotNull(last);
        Assert.NotNull(last.Run);
        return last.Run;
    }

    /// <summary>Polls GetRun until the run has ended (for runs watched by nobody).</summary>
    public async Task<Run> WaitForEndAsync(string runId, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var run = await Evals.GetRunAsync(new GetRunRequest { RunId = runId });
            if (run.Status is "completed" or "failed" or "cancelled")
            {
                return run;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"run {runId} is still {run.Status} with {run.DoneSamples}/{run.TotalSamples} samples");
            }

            await Task.Delay(200);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        await Inference.DisposeAsync();
    }

    private async Task WaitForModelsAsync(string[] models)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var listed = await Inference.Client.ListProvidersAsync(new SiteCraft.Ml.Inference.V1.ListProvidersRequest { Environment = Environment });
            var provider = listed.Providers.FirstOrDefault(p => p.Provider == InferenceScope.OpenAIProvider);
            if (provider is not null && models.All(m => provider.Models.Any(x => x.Model == m)))
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the inference service does not list {string.Join(", ", models)} for {Environment}: {listed}");
            }

            await Task.Delay(100);
        }
    }
}
