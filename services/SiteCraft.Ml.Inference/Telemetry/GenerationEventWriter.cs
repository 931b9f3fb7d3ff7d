using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Npgsql;

namespace SiteCraft.Ml.Inference.Telemetry;

/// <summary>
/// Takes generation events off the request path and writes them to ai_generation_events with binary
/// COPY, in batches. A batch the database cannot take goes to a local spool, and so does every batch
/// after it until the spool is replayed (idempotently), so rows land in the order they were recorded.
/// Rows the table refuses for their content are split out into a rejected file and never block the
/// rest. Stopping drains the queue to the database or, once the host's shutdown timeout has passed,
/// to the spool.
/// </summary>
public sealed class GenerationEventWriter : BackgroundService, IGenerationEventSink
{
    public const string MeterName = TelemetryMetrics.MeterName;

    // A full queue drops events on every request; one warning per interval says how many.
    private static readonly TimeSpan s_dropReportInterval = TimeSpan.FromSeconds(5);

    private readonly TelemetryOptions _options;
    private readonly Channel<GenerationEvent> _queue;
    private readonly GenerationEventTable _table;
    private readonly GenerationEventSpool _spool;
    private readonly TelemetryMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    // Cancelled once the host's shutdown timeout has passed: no more waiting on the database.
    private readonly CancellationTokenSource _giveUpOnDatabase = new();

    private long _inMemory;
    private long _droppedReported;
    private DateTimeOffset _lastDropReport;
    private TimeSpan _retryDelay;
    private DateTimeOffset _nextReplay;

    public GenerationEventWriter(
        NpgsqlDataSource dataSource,
        IOptions<TelemetryOptions> options,
        IMeterFactory meterFactory,
        TimeProvider timeProvider,
        ILogger<GenerationEventWriter> logger)
    {
        _options = options.Value;
        _queue = Channel.CreateBounded<GenerationEvent>(new BoundedChannelOptions(_options.ChannelCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            // The loop's continuation must never run on the request thread that called TryRecord.
            AllowSynchronousContinuations = false,
        });
        _table = new GenerationEventTable(dataSource);
        _spool = new GenerationEventSpool(_options.SpoolDirectory, logger);
        _metrics = new TelemetryMetrics(meterFactory, () => _queue.Reader.Count, () => _spool.Backlog);
        _time = timeProvider;
        _logger = logger;
        _retryDelay = _options.RetryInitialDelay;
    }

    public long Written => _metrics.Written;

    public long Spooled => _metrics.Spooled;

    public long Dropped => _metrics.Dropped;

    public long Rejected => _metrics.Rejected;

    /// <summary>Recorded events not yet in the database nor rejected: queued, being written, or in the spool.</summary>
    public long Pending => Interlocked.Read(ref _inMemory) + _spool.Backlog;

    public bool TryRecord(GenerationEvent e)
    {
        if (e is not null)
        {
            // Counted first so Pending never dips below what the loop still holds.
            Interlocked.Increment(ref _inMemory);
            if (_queue.Writer.TryWrite(e))
            {
                return true;
            }

            Interlocked.Decrement(ref _inMemory);
        }

        _metrics.AddDropped(1);
        return false;
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            _spool.Open();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException(
                $"{TelemetryOptions.Section}:{nameof(TelemetryOptions.SpoolDirectory)} '{_options.SpoolDirectory}' cannot be used: {e.Message}", e);
        }

        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        using (cancellationToken.Register(GiveUpOnDatabase))
        {
            if (ExecuteTask is { } loop)
            {
                // Not bounded by the token: once it fires the loop only appends to the local spool.
                await loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        await base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        base.Dispose();
        if (ExecuteTask is null or { IsCompleted: true })
        {
            _spool.Dispose();
        }

        _giveUpOnDatabase.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Disposed without StopAsync: stop waiting and spool what is left.
        using var disposing = stoppingToken.Register(GiveUpOnDatabase);
        var giveUp = _giveUpOnDatabase.Token;
        var batch = new List<GenerationEvent>(_options.MaxBatchSize);
        try
        {
            await RunAsync(batch, giveUp);
        }
        finally
        {
            // Only a loop that failed leaves events behind; they go to disk rather than away.
            _queue.Writer.TryComplete();
            while (_queue.Reader.TryRead(out var e))
            {
                batch.Add(e);
            }

            if (batch.Count > 0)
            {
                await SpoolAsync(batch, 0, giveUp);
                Interlocked.Add(ref _inMemory, -batch.Count);
            }

            _spool.Dispose();
        }
    }

    private async Task RunAsync(List<GenerationEvent> batch, CancellationToken giveUp)
    {
        if (_spool.HasBacklog)
        {
            TelemetryLog.SpoolFound(_logger, _spool.Backlog, _options.SpoolDirectory);
        }

        while (true)
        {
            if (_spool.HasBacklog && !giveUp.IsCancellationRequested && _time.GetUtcNow() >= _nextReplay)
            {
                await ReplayStepAsync(giveUp);
            }

            var open = await CollectAsync(batch, TimeUntilReplay(giveUp));
            if (batch.Count > 0)
            {
                await SettleAsync(batch, giveUp);
                batch.Clear();
            }

            ReportDrops();
            if (!open)
            {
                break;
            }
        }

        // Queue closed and empty: one more go at the spool, so a clean stop leaves none when the database answers.
        while (_spool.HasBacklog && !giveUp.IsCancellationRequested && await ReplayStepAsync(giveUp))
        {
        }
    }

    private TimeSpan TimeUntilReplay(CancellationToken giveUp)
    {
        if (!_spool.HasBacklog || giveUp.IsCancellationRequested)
        {
            return Timeout.InfiniteTimeSpan;
        }

        var wait = _nextReplay - _time.GetUtcNow();
        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }

    /// <summary>
    /// Fills <paramref name="batch"/> with what arrives within <paramref name="firstWait"/> and then the
    /// flush interval. False when the queue is closed and empty.
    /// </summary>
    private async Task<bool> CollectAsync(List<GenerationEvent> batch, TimeSpan firstWait)
    {
        if (!TakeQueued(batch))
        {
            var ready = await WaitForEventsAsync(firstWait);
            if (ready is not true)
            {
                return ready is null;
            }

            TakeQueued(batch);
        }

        // Behind a backlog the batch goes to disk anyway; waiting to fill it would only delay the replay.
        if (_spool.HasBacklog)
        {
            return true;
        }

        var deadline = _time.GetUtcNow() + _options.FlushInterval;
        while (batch.Count < _options.MaxBatchSize)
        {
            var left = deadline - _time.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                break;
            }

            var ready = await WaitForEventsAsync(left);
            if (ready is not true)
            {
                return ready is null;
            }

            TakeQueued(batch);
        }

        return true;
    }

    private bool TakeQueued(List<GenerationEvent> batch)
    {
        while (batch.Count < _options.MaxBatchSize && _queue.Reader.TryRead(out var e))
        {
            batch.Add(e);
        }

        return batch.Count > 0;
    }

    /// <summary>True when events are queued, false when the queue is closed and empty, null on timeout.</summary>
    private async ValueTask<bool?> WaitForEventsAsync(TimeSpan timeout)
    {
        var reader = _queue.Reader;
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            return await reader.WaitToReadAsync(CancellationToken.None);
        }

        if (timeout <= TimeSpan.Zero)
        {
            return reader.TryPeek(out _) ? true : reader.Completion.IsCompleted ? false : null;
        }

        using var timer = new CancellationTokenSource(timeout, _time);
        try
        {
            return await reader.WaitToReadAsync(timer.Token);
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested)
        {
            return null;
        }
    }

    private async Task SettleAsync(List<GenerationEvent> batch, CancellationToken giveUp)
    {
        var settled = 0;
        if (!_spool.HasBacklog && !giveUp.IsCancellationRequested)
        {
            var outcome = await WriteAsync(batch, idempotent: false, giveUp);
            settled = outcome.Settled;
            if (outcome.Failure is { } failure)
            {
                LogOutage(failure);
                _retryDelay = _options.RetryInitialDelay;
                _nextReplay = _time.GetUtcNow() + _retryDelay;
            }
        }

        if (settled < batch.Count)
        {
            await SpoolAsync(batch, settled, giveUp);
        }

        Interlocked.Add(ref _inMemory, -batch.Count);
    }

    /// <summary>Replays the oldest spooled events; false when the database did not take them.</summary>
    private async Task<bool> ReplayStepAsync(CancellationToken giveUp)
    {
        var chunk = await _spool.PeekAsync(_options.MaxBatchSize, CancellationToken.None);
        var outcome = chunk.Count == 0 ? default : await WriteAsync(chunk, idempotent: true, giveUp);
        _spool.Advance(outcome.Settled);
        if (outcome.Failure is { } failure)
        {
            _retryDelay = TimeSpan.FromTicks(Math.Min(_retryDelay.Ticks * 2, _options.RetryMaxDelay.Ticks));
            _nextReplay = _time.GetUtcNow() + _retryDelay;
            var reason = DatabaseFailures.Reason(failure);
            if (DatabaseFailures.Classify(failure) == DatabaseFailure.Persistent)
            {
                TelemetryLog.DatabaseRefusing(_logger, reason, _options.SpoolDirectory);
            }
            else
            {
                TelemetryLog.ReplayFailed(_logger, reason, _spool.Backlog, _retryDelay.TotalMilliseconds);
            }

            return false;
        }

        _nextReplay = _time.GetUtcNow();
        if (!_spool.HasBacklog)
        {
            TelemetryLog.SpoolReplayed(_logger);
        }

        return true;
    }

    /// <summary>
    /// Writes the rows in order. A range the table refuses for a row's content is halved until the bad
    /// row stands alone and is rejected; the rest still lands. Stops at the first failure that is not
    /// about a row, reporting how many leading rows are settled (written or rejected).
    /// </summary>
    private async Task<WriteOutcome> WriteAsync(IReadOnlyList<GenerationEvent> rows, bool idempotent, CancellationToken giveUp)
    {
        var ranges = new Stack<(int Start, int Count)>();
        ranges.Push((0, rows.Count));
        var settled = 0;
        while (ranges.TryPop(out var range))
        {
            try
            {
                var written = idempotent
                    ? await _table.CopyIdempotentAsync(rows, range.Start, range.Count, giveUp)
                    : await _table.CopyAsync(rows, range.Start, range.Count, giveUp);
                _metrics.AddWritten(written);
            }
            catch (Exception e) when (DatabaseFailures.Classify(e) == DatabaseFailure.BadRow)
            {
                if (range.Count > 1)
                {
                    var half = range.Count / 2;
                    ranges.Push((range.Start + half, range.Count - half));
                    ranges.Push((range.Start, half));
                    continue;
                }

                await RejectAsync(rows[range.Start], e);
            }
            catch (Exception e) when (DatabaseFailures.Classify(e) is DatabaseFailure.Transient or DatabaseFailure.Persistent)
            {
                return new WriteOutcome(settled, e);
            }

            settled += range.Count;
        }

        return new WriteOutcome(settled, null);
    }

    private async Task RejectAsync(GenerationEvent row, Exception refusal)
    {
        var reason = DatabaseFailures.Reason(refusal);
        _metrics.AddRejected(1);
        TelemetryLog.Rejected(_logger, row.EventId, reason, _spool.RejectedPath);
        try
        {
            await _spool.RejectAsync(row, reason, _time.GetUtcNow(), CancellationToken.None);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TelemetryLog.RejectedFileFailed(_logger, row.EventId, _spool.RejectedPath, e.Message);
        }
    }

    /// <summary>
    /// Appends rows[start..] to the spool, retrying while the disk refuses. Only once the host's shutdown
    /// timeout has passed does it give up, and then it says how many events were lost.
    /// </summary>
    private async Task SpoolAsync(List<GenerationEvent> batch, int start, CancellationToken giveUp)
    {
        var count = batch.Count - start;
        while (true)
        {
            try
            {
                // Not cancellable: half a batch on disk is worse than a slightly later stop.
                await _spool.AppendAsync(batch, start, CancellationToken.None);
                _metrics.AddSpooled(count);
                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                if (giveUp.IsCancellationRequested)
                {
                    TelemetryLog.Lost(_logger, count, _options.SpoolDirectory);
                    _metrics.AddDropped(count);
                    return;
                }

                TelemetryLog.SpoolWriteFailed(_logger, count, _options.SpoolDirectory, e.Message, _options.RetryMaxDelay.TotalMilliseconds);
                await Task.Delay(_options.RetryMaxDelay, _time, giveUp).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private void LogOutage(Exception failure)
    {
        if (DatabaseFailures.Classify(failure) == DatabaseFailure.Persistent)
        {
            TelemetryLog.DatabaseRefusing(_logger, DatabaseFailures.Reason(failure), _options.SpoolDirectory);
        }
        else
        {
            TelemetryLog.DatabaseUnavailable(_logger, DatabaseFailures.Reason(failure), _options.SpoolDirectory);
        }
    }

    private void ReportDrops()
    {
        var dropped = _metrics.Dropped;
        var now = _time.GetUtcNow();
        if (dropped > _droppedReported && now - _lastDropReport >= s_dropReportInterval)
        {
            var sinceLastReport = dropped - _droppedReported;
            TelemetryLog.Dropped(_logger, sinceLastReport, _options.ChannelCapacity);
            _droppedReported = dropped;
            _lastDropReport = now;
        }
    }

    private void GiveUpOnDatabase()
    {
        _queue.Writer.TryComplete();
        _giveUpOnDatabase.Cancel();
    }

    private readonly record struct WriteOutcome(int Settled, Exception? Failure);
}
