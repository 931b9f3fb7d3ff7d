using Microsoft.Extensions.Logging;

namespace SiteCraft.Ml.Evals.Data;

/// <summary>The nightly suites (configuration section "Evals:Nightly").</summary>
public sealed class NightlyOptions
{
    /// <summary>A five-field cron expression, in UTC; empty turns the schedule off.</summary>
    public string Cron { get; set; } = "0 3 * * *";

    /// <summary>Suite ids; empty means every suite.</summary>
    public List<string> Suites { get; set; } = [];

    /// <summary>The environment whose providers answer.</summary>
    public string Environment { get; set; } = "development";

    /// <summary>"provider/model" targets; empty means the environment's routing policy.</summary>
    public List<string> Targets { get; set; } = [];

    public int Repeats { get; set; }
}

/// <summary>
/// Creates the nightly runs once across replicas: under an advisory lock, and only when no run
/// carries the same slot, so two replicas waking for the same 03:00 start one set of runs. The
/// runs themselves execute on whichever replica's worker takes them.
/// </summary>
public sealed class NightlyRuns(EvalRunner runner, EvalStore store, SuiteCatalog suites, NightlyOptions options, ILogger<NightlyRuns> logger)
{
    /// <summary>Starts the configured suites for <paramref name="slot"/> (e.g. "2026-11-27T03:00Z" or "manual:…"); returns the new runs, none when the slot already ran or another replica is starting it.</summary>
    public async Task<IReadOnlyList<Guid>> StartAsync(string slot, string requestedBy, CancellationToken cancellationToken)
    {
        await using var hold = await AdvisoryLock.TryAcquireAsync(store.DataSource, "eval-nightly", cancellationToken);
        if (hold is null)
        {
            EvalLog.NightlyElsewhere(logger, slot);
            return [];
        }

        if (await store.NightlySlotStartedAsync(slot, cancellationToken))
        {
            EvalLog.NightlyAlreadyStarted(logger, slot);
            return [];
        }

        var suiteIds = options.Suites.Count > 0 ? options.Suites : suites.Suites.Select(s => s.SuiteId).ToList();
        var targets = options.Targets.Count > 0
            ? options.Targets.Select(t => t.Split('/', 2)).Select(p => EvalTarget.Create(options.Environment, p[0], p.Length > 1 ? p[1] : null)).ToList()
            : [EvalTarget.Create(options.Environment, null, null)];
        var started = new List<Guid>();
        foreach (var suite in suiteIds)
        {
            foreach (var target in targets)
            {
                try
                {
                    var run = await runner.CreateRunAsync(
                        new RunRequest(suite, target, options.Repeats > 0 ? options.Repeats : null, RequestedBy: requestedBy,
                            Labels: new Dictionary<string, string> { ["nightly_slot"] = slot }),
                        cancellationToken);
                    started.Add(run.RunId);
                }
                catch (EvalRequestException e)
                {
                    // One misconfigured target must not keep the other suites from running.
                    EvalLog.NightlyNotStarted(logger, suite, target, e.Message);
                }
            }
        }

        return started;
    }
}
