using CsCheck;
using SiteCraft.Ml.LocalModel.Serving;

namespace SiteCraft.Ml.LocalModel.Tests.Serving;

public sealed class StopSequenceFilterTests
{
    [Fact]
    public void Text_before_a_stop_sequence_is_sent_and_the_stop_is_not()
    {
        var filter = new StopSequenceFilter(["</p>"]);

        var sent = filter.Push("Fresh bread") + filter.Push(" daily</") + filter.Push("p> and more");

        Assert.Equal("Fresh bread daily", sent);
        Assert.True(filter.Stopped);
        Assert.Equal("", filter.Push("ignored"));
    }

    [Fact]
    public void A_possible_start_of_a_stop_sequence_is_held_back_until_it_cannot_be_one()
    {
        var filter = new StopSequenceFilter(["END"]);

        Assert.Equal("The ", filter.Push("The E"));
        Assert.Equal("End", filter.Push("nd"));
        Assert.Equal("", filter.Push("E"));
        Assert.Equal("E", filter.Flush());
        Assert.False(filter.Stopped);
    }

    [Fact]
    public void The_earliest_of_several_stop_sequences_wins()
    {
        var filter = new StopSequenceFilter(["\n\n", "}"]);

        Assert.Equal("{\"a\":1", filter.Push("{\"a\":1}\n\nrest"));
        Assert.True(filter.Stopped);
    }

    [Fact]
    public void Without_stop_sequences_text_passes_straight_through()
    {
        var filter = new StopSequenceFilter([]);

        Assert.Equal("abc", filter.Push("abc"));
        Assert.Equal("", filter.Flush());
    }

    [Fact]
    public void Streaming_any_text_in_any_pieces_sends_exactly_the_text_before_the_first_stop()
    {
        Gen.Select(Gen.String[Gen.Char["abxyz ."], 0, 40], Gen.Int[1, 5]).Sample((text, piece) =>
        {
            var filter = new StopSequenceFilter(["ab", "xyz"]);
            var sent = new System.Text.StringBuilder();
            for (var i = 0; i < text.Length; i += piece)
            {
                sent.Append(filter.Push(text.Substring(i, Math.Min(piece, text.Length - i))));
            }

            sent.Append(filter.Flush());
            var cut = new[] { text.IndexOf("ab", StringComparison.Ordinal), text.IndexOf("xyz", StringComparison.Ordinal) }.Where(i => i >= 0).DefaultIfEmpty(text.Length).Min();
            Assert.Equal(text[..cut], sent.ToString());
        });
    }
}
