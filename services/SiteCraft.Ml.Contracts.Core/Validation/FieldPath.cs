using System.Globalization;
using System.Text;

namespace SiteCraft.Ml.Contracts.Core.Validation;

/// <summary>
/// Where a record's walk is, as a stack of field names and array indexes, written out as
/// <c>messages[2].content</c> only when a violation needs it.
/// </summary>
internal struct FieldPath
{
    private Segment[] _segments;
    private int _depth;

    public FieldPath()
    {
        _segments = new Segment[8];
    }

    /// <summary>At the record itself, not inside any field.</summary>
    public readonly bool IsRoot => _depth == 0;

    /// <summary>A field the contract knows, named as the contract spells it.</summary>
    public void PushField(string schemaName) => Push(new Segment(null, schemaName, -1));

    /// <summary>A field the contract does not know, named as it was sent.</summary>
    public void PushSent(string name) => Push(new Segment(name, null, -1));

    public void PushIndex(int index) => Push(new Segment(null, null, index));

    public void Pop() => _depth--;

    public readonly string Text()
    {
        if (_depth == 0)
        {
            return "$";
        }

        var builder = new StringBuilder();
        for (var i = 0; i < _depth; i++)
        {
            var segment = _segments[i];
            if (segment.Index >= 0)
            {
                builder.Append('[').Append(segment.Index.ToString(CultureInfo.InvariantCulture)).Append(']');
            }
            else
            {
                if (builder.Length > 0)
                {
                    builder.Append('.');
                }

                builder.Append(segment.Name ?? segment.SchemaName);
            }
        }

        return builder.ToString();
    }

    private void Push(Segment segment)
    {
        if (_depth == _segments.Length)
        {
            Array.Resize(ref _segments, _segments.Length * 2);
        }

        _segments[_depth++] = segment;
    }

    /// <summary>One step of a field path: a field name (sent or from the contract) or an array index.</summary>
    private readonly record struct Segment(string? Name, string? SchemaName, int Index);
}
