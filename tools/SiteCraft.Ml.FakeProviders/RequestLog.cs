namespace SiteCraft.Ml.FakeProviders;

/// <summary>The last <c>capacity</c> requests, oldest first; older ones are dropped so a benchmark's memory stays flat.</summary>
internal sealed class RequestLog(int capacity)
{
    private readonly Lock _gate = new();
    private readonly ReceivedRequest[] _items = new ReceivedRequest[capacity];
    private int _next;
    private int _count;

    public void Add(ReceivedRequest request)
    {
        lock (_gate)
        {
            _items[_next] = request;
            _next = (_next + 1) % _items.Length;
            _count = Math.Min(_count + 1, _items.Length);
        }
    }

    public IReadOnlyList<ReceivedRequest> Snapshot()
    {
        lock (_gate)
        {
            var snapshot = new ReceivedRequest[_count];
            var first = (_next - _count + _items.Length) % _items.Length;
            for (var i = 0; i < _count; i++)
            {
                snapshot[i] = _items[(first + i) % _items.Length];
            }

            return snapshot;
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            Array.Clear(_items);
            _next = 0;
            _count = 0;
        }
    }
}
