namespace SiteCraft.Ml.LocalModel.Serving;

/// <summary>
/// Streams text while watching for stop sequences: text that could still be the start of one is
/// held back until it cannot, so a stop sequence is never half-sent.
/// </summary>
internal sealed class StopSequenceFilter(IReadOnlyList<string> stops)
{
    private string _pending = "";

    public bool Stopped { get; private set; }

    /// <summary>Adds text; returns what may be sent now.</summary>
    public string Push(string text)
    {
        if (Stopped || text.Length == 0)
        {
            return "";
        }

        if (stops.Count == 0)
        {
            return text;
        }

        _pending += text;
        var cut = -1;
        foreach (var stop in stops)
        {
            var at = _pending.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && (cut < 0 || at < cut))
            {
                cut = at;
            }
        }

        if (cut >= 0)
        {
            Stopped = true;
            var before = _pending[..cut];
            _pending = "";
            return before;
        }

        var keep = 0;
        foreach (var stop in stops)
        {
            for (var length = Math.Min(stop.Length - 1, _pending.Length); length > keep; length--)
            {
                if (_pending.AsSpan(_pending.Length - length).SequenceEqual(stop.AsSpan(0, length)))
                {
                    keep = length;
                    break;
                }
            }
        }

        var ready = _pending[..^keep];
        _pending = _pending[^keep..];
        return ready;
    }

    /// <summary>The held-back text once the stream has ended without a stop.</summary>
    public string Flush()
    {
        var rest = Stopped ? "" : _pending;
        _pending = "";
        return rest;
    }
}
