using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace SiteCraft.Ml.Contracts.Data.Snapshots;

/// <summary>
/// Assigns a record to a split from its id alone, so a record keeps its split in every snapshot
/// with the same ratios: u = the first 8 bytes of sha256(utf8(id)) as a big-endian uint64 / 2^64,
/// and the record goes to the first split (by name, ordinal) whose cumulative share exceeds u.
/// </summary>
public sealed partial class SnapshotSplits
{
    /// <summary>The split key as the manifest states it, for a reader that recomputes it.</summary>
    public const string KeyDescription = "sha256(id)[0:8] as big-endian uint64 / 2^64";

    // record_counts holds one entry per split plus this one.
    internal const string TotalKey = "total";

    private const double TwoToThe64 = 18446744073709551616.0;

    private readonly string[] _names;
    private readonly double[] _cumulative;

    private SnapshotSplits(SortedDictionary<string, double> ratios)
    {
        Ratios = ratios;
        _names = [.. ratios.Keys];
        _cumulative = new double[_names.Length];
        var sum = 0.0;
        for (var i = 0; i < _names.Length; i++)
        {
            sum += ratios[_names[i]];
            _cumulative[i] = sum;
        }
    }

    /// <summary>train 0.9, validation 0.1: what an empty ratio map means.</summary>
    public static IReadOnlyDictionary<string, double> Default { get; } = new Dictionary<string, double>
    {
        ["train"] = 0.9,
        ["validation"] = 0.1,
    };

    /// <summary>The split names, ordered ordinally: the order shares are accumulated in.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>The shares by split name, ordered ordinally.</summary>
    public IReadOnlyDictionary<string, double> Ratios { get; }

    /// <summary>Checks the ratios (an empty map means <see cref="Default"/>).</summary>
    /// <exception cref="SnapshotRequestException">A name or share is invalid, or the shares do not sum to 1; the field is <c>split_ratios</c>.</exception>
    public static SnapshotSplits Create(IReadOnlyDictionary<string, double> ratios)
    {
        const string Field = "split_ratios";
        var given = ratios is null || ratios.Count == 0 ? Default : ratios;
        var sorted = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, share) in given)
        {
            if (name is null || !SplitName().IsMatch(name))
            {
                throw new SnapshotRequestException(Field, $"split name '{name}' must match ^[a-z][a-z0-9_-]{{0,31}}$");
            }

            if (name == TotalKey)
            {
                throw new SnapshotRequestException(Field, $"'{TotalKey}' cannot name a split: record_counts uses it for all records");
            }

            if (!(share > 0 && share <= 1))
            {
                throw new SnapshotRequestException(Field, $"the share of '{name}' is {Text(share)}; each share must be above 0 and at most 1");
            }

            sorted.Add(name, share);
        }

        var sum = sorted.Values.Sum();
        if (Math.Abs(sum - 1) > 1e-9)
        {
            throw new SnapshotRequestException(Field, $"the shares sum to {Text(sum)}; they must sum to 1");
        }

        return new SnapshotSplits(sorted);
    }

    /// <summary>The record's position u in [0, 1], from its id only.</summary>
    public static double Position(string id)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(id), hash);
        // (double) rounds to nearest and / 2^64 is exact, so this equals a correctly rounded x / 2^64
        // (what Python's int / 2**64 gives); u can round up to 1.0 only for the top 2^10 values.
        return BinaryPrimitives.ReadUInt64BigEndian(hash) / TwoToThe64;
    }

    /// <summary>The index in <see cref="Names"/> of the split the record with this id belongs to.</summary>
    public int IndexOf(string id)
    {
        var u = Position(id);
        for (var i = 0; i < _cumulative.Length - 1; i++)
        {
            if (u < _cumulative[i])
            {
                return i;
            }
        }

        // The last split takes the rest, whatever rounding left in the sum.
        return _cumulative.Length - 1;
    }

    /// <summary>The name of the split the record with this id belongs to.</summary>
    public string SplitOf(string id) => _names[IndexOf(id)];

    private static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    // \z, not $: $ also matches before a final newline.
    [GeneratedRegex(@"^[a-z][a-z0-9_-]{0,31}\z", RegexOptions.CultureInvariant)]
    private static partial Regex SplitName();
}
