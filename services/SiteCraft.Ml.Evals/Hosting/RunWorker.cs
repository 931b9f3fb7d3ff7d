using System.Collections.Concurrent;
using SiteCraft.Ml.Evals.Data;

namespace SiteCraft.Ml.Evals.Hosting;

/// <summary>
/// Executes pending runs and resumes runs a stopped replica left running. Each run is held by an
/// advisory lock while it executes, so any number of replicas can poll the same table; when this
/// process stops, its runs stay "running" with the samples they have and are continued by the
/// next worker that polls.
/// </summary>
internal sealed class RunWorker(EvalRunner runner, EvalStore store, SuiteCatalog suites, RunSignal queue, EvalServiceOptions options, ILogger<RunWorker> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<Guid, Task> _running = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await SyncSuitesAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                foreach (var runId in await store.OpenRunIdsAsync(stoppingToken))
                {
                    if (_running.Count >= options.MaxConcurrentRuns)
                    {
                        break;
                    }

                    if (!_running.ContainsKey(runId))
                    {
                        _running[runId] = ExecuteAsync(runId, stoppingToken);
                    }
                }

                await queue.WaitAsync(options.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
            {
                logger.LogWarning(e, "The run worker could not read open runs; retrying");
                await Task.Delay(options.PollInterval, stoppingToken);
            }
        }

        await Task.WhenAll(_running.Values);
    }

    private async Task ExecuteAsync(Guid runId, CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            var run = await runner.ExecuteAsync(runId, progress: null, stoppingToken);
            if (run is not null)
            {
                ServiceLog.RunEnded(logger, runId, run.Status);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            ServiceLog.RunInterrupted(logger, runId);
        }
        catch (Exception e)
        {
            ServiceLog.RunCrashed(logger, e, runId);
            await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
        finally
        {
            _running.TryRemove(runId, out _);
            queue.Signal();
        }
    }

    private async Task SyncSuitesAsync(CancellationToken stoppingToken)
    {
        foreach (var error in suites.Errors)
        {
            ServiceLog.SuiteNotLoaded(logger, error);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var added = await store.SyncSuitesAsync(suites.Suites, stoppingToken);
                ServiceLog.SuitesSynced(logger, suites.Suites.Count, added);
                return;
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
            {
                logger.LogWarning(e, "Could not sync the eval suites; retrying");
                await Task.Delay(options.PollInterval, stoppingToken);
            }
        }
    }
}
