namespace SiteCraft.Ml.LocalModel.Engine;

/// <summary>
/// Splits one matrix-vector product across a few dedicated threads by blocks of rows. A decode step
/// runs about five products per layer, each a few microseconds, so the workers are kept and woken
/// (spinning briefly first) instead of scheduling tasks, and nothing is allocated per call.
/// </summary>
internal sealed unsafe class RowParallelizer : IDisposable
{
    // ManualResetEventSlim spins this many times before blocking: long enough to span the gap between products of one step.
    private const int SpinCount = 2000;

    private readonly ManualResetEventSlim[] _go;
    private readonly int _parts;
    private float* _w;
    private float* _x;
    private float* _y;
    private int _rows;
    private int _columns;
    private int _blockRows;
    private int _remaining;
    private volatile bool _stopped;

    public RowParallelizer(int threads)
    {
        _parts = threads;
        _go = new ManualResetEventSlim[threads - 1];
        for (var i = 0; i < _go.Length; i++)
        {
            _go[i] = new ManualResetEventSlim(false, SpinCount);
            var part = i + 1;
            var thread = new Thread(() => Work(part)) { IsBackground = true, Name = $"llama-matvec-{part}" };
            thread.Start();
        }
    }

    public void Multiply(float[] w, float[] x, float[] y, int rows, int columns)
    {
        // Small products cost less than waking a thread.
        if (rows < 64)
        {
            MatrixVector.Multiply(w, x, y, rows, columns);
            return;
        }

        fixed (float* pw = w, px = x, py = y)
        {
            _w = pw;
            _x = px;
            _y = py;
            _rows = rows;
            _columns = columns;
            _blockRows = ((rows + _parts - 1) / _parts + 3) & ~3;
            Volatile.Write(ref _remaining, _go.Length);
            foreach (var go in _go)
            {
                go.Set();
            }

            MatrixVector.MultiplyRows(pw, px, py, 0, Math.Min(rows, _blockRows), columns);
            var spinner = default(SpinWait);
            while (Volatile.Read(ref _remaining) != 0)
            {
                spinner.SpinOnce(sleep1Threshold: -1);
            }
        }
    }

    private void Work(int part)
    {
        var go = _go[part - 1];
        while (true)
        {
            go.Wait();
            go.Reset();
            if (_stopped)
            {
                return;
            }

            var start = Math.Min(_rows, part * _blockRows);
            var end = Math.Min(_rows, start + _blockRows);
            MatrixVector.MultiplyRows(_w, _x, _y, start, end, _columns);
            Interlocked.Decrement(ref _remaining);
        }
    }

    public void Dispose()
    {
        _stopped = true;
        foreach (var go in _go)
        {
            go.Set();
        }
    }
}
