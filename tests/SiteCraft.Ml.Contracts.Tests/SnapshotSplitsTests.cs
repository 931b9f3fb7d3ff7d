using CsCheck;
using SiteCraft.Ml.Contracts.Data.Snapshots;

namespace SiteCraft.Ml.Contracts.Tests;

public sealed class SnapshotSplitsTests
{
    [Theory]
    // Expected values from Python: int.from_bytes(sha256(id.encode()).digest()[:8], 'big') / 2**64
    [InlineData("0b7f7c1e-6a4e-4d5c-9a57-1f2e3d4c5b6a", 0.39124404082369013)]
    [InlineData("00000000-0000-0000-0000-000000000000", 0.07313868327627789)]
    [InlineData("ffffffff-ffff-ffff-ffff-ffffffffffff", 0.07654253963207609)]
    public void A_records_position_is_the_documented_key_bit_for_bit(string id, double expected)
    {
        Assert.Equal(expected, SnapshotSplits.Position(id));
    }

    [Fact]
    public void Splits_take_consecutive_intervals_of_the_key_in_name_order()
    {
        var splits = SnapshotSplits.Create(new Dictionary<string, double> { ["validation"] = 0.5, ["train"] = 0.3, ["test"] = 0.2 });

        Assert.Equal(["test", "train", "validation"], splits.Names);
        // u = 0.391: past test's [0, 0.2) and train's [0.2, 0.5) starts, so train.
        Assert.Equal("train", splits.SplitOf("0b7f7c1e-6a4e-4d5c-9a57-1f2e3d4c5b6a"));
        Assert.Equal("test", splits.SplitOf("00000000-0000-0000-0000-000000000000"));
    }

    [Fact]
    public void No_ratios_mean_train_nine_tenths_and_validation_one_tenth()
    {
        var splits = SnapshotSplits.Create(new Dictionary<string, double>());

        Assert.Equal(new Dictionary<string, double> { ["train"] = 0.9, ["validation"] = 0.1 }, splits.Ratios);
    }

    [Fact]
    public void Shares_that_sum_to_one_up_to_rounding_are_accepted()
    {
        // 0.1 + 0.2 + 0.7 is 1.0000000000000002 in doubles.
        var splits = SnapshotSplits.Create(new Dictionary<string, double> { ["a"] = 0.1, ["b"] = 0.2, ["c"] = 0.7 });

        Assert.Equal(3, splits.Names.Count);
    }

    [Theory]
    [InlineData("train", 0.9, "validation", 0.2)]
    [InlineData("train", 1.0, "validation", 0.0)]
    [InlineData("train", 0.5, "Validation", 0.5)]
    [InlineData("train", 0.5, "total", 0.5)]
    [InlineData("train", double.PositiveInfinity, "validation", 0.1)]
    public void Invalid_ratios_are_refused_naming_split_ratios(string first, double firstShare, string second, double secondShare)
    {
        var error = Assert.Throws<SnapshotRequestException>(() => SnapshotSplits.Create(new Dictionary<string, double> { [first] = firstShare, [second] = secondShare }));

        Assert.Equal("split_ratios", error.Field);
    }

    [Fact]
    public void Every_record_lands_in_exactly_one_split_and_the_shares_converge_to_the_ratios()
    {
        var splits = SnapshotSplits.Create(new Dictionary<string, double> { ["train"] = 0.7, ["validation"] = 0.2, ["test"] = 0.1 });

        Gen.Guid.Array[20_000].Sample(ids =>
        {
            var counts = ids.GroupBy(id => splits.SplitOf(id.ToString())).ToDictionary(g => g.Key, g => g.Count());

            // Six binomial standard deviations (20,000 draws at p = 0.7: 389 records), so a random sample fails about once in 10^8.
            return counts.Values.Sum() == ids.Length
                && Math.Abs(counts["train"] - 14_000) < 389
                && Math.Abs(counts["validation"] - 4_000) < 340
                && Math.Abs(counts["test"] - 2_000) < 255;
        }, iter: 20);
    }
}
