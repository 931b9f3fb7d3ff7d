using System.Text;
using System.Text.Json;
using SiteCraft.Ml.Training.Corpus;

namespace SiteCraft.Ml.LocalModel.Tests.Corpus;

public sealed class CorpusJsonlTests
{
    [Fact]
    public void Written_examples_read_back_unchanged()
    {
        var examples = SiteCorpus.Generate(seed: 5, briefCount: 25).ToList();
        using var buffer = new MemoryStream();

        SiteCorpus.WriteJsonl(examples, buffer);
        buffer.Position = 0;
        var read = SiteCorpus.ReadJsonl(buffer).ToList();

        Assert.Equal(examples.Count, read.Count);
        foreach (var (expected, actual) in examples.Zip(read))
        {
            Assert.Equal(expected.Id, actual.Id);
            Assert.Equal(expected.UseCase, actual.UseCase);
            Assert.Equal(expected.BriefId, actual.BriefId);
            Assert.Equal(expected.Messages, actual.Messages);
            Assert.Equal(expected.Completion, actual.Completion);
        }
    }

    [Fact]
    public void Each_line_is_one_record_in_the_training_snapshot_format()
    {
        using var buffer = new MemoryStream();
        SiteCorpus.WriteJsonl(SiteCorpus.Generate(seed: 5, briefCount: 2), buffer);

        var lines = Encoding.UTF8.GetString(buffer.ToArray()).Split('\n');

        Assert.Equal(9, lines.Length);
        Assert.Equal("", lines[^1]);
        using var first = JsonDocument.Parse(lines[0]);
        var root = first.RootElement;
        Assert.Equal(["id", "use_case", "source", "messages", "completion", "created_at", "quality_signals"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("brief-000000.page", root.GetProperty("id").GetString());
        Assert.Equal("synthetic", root.GetProperty("source").GetString());
        Assert.Equal("2026-01-01T00:00:00.000000Z", root.GetProperty("created_at").GetString());
        Assert.Equal(JsonValueKind.Object, root.GetProperty("quality_signals").ValueKind);
        Assert.Empty(root.GetProperty("quality_signals").EnumerateObject());
    }

    [Theory]
    [InlineData("{\"id\":\"a\",\"use_case\":\"site.page.json\",\"messages\":[],\"completion\":\"{}\"}\n{not json}\n", "Line 2")]
    [InlineData("\n{\"id\":\"a\",\"use_case\":\"site.page.json\",\"messages\":[]}\n", "Line 2: field 'completion'")]
    [InlineData("{\"id\":\"a\",\"use_case\":\"site.page.json\",\"messages\":[{\"role\":\"user\"}],\"completion\":\"x\"}\n", "Line 1: field 'messages[0].content'")]
    [InlineData("[1,2]\n", "Line 1")]
    public void A_malformed_line_is_reported_with_its_line_number_and_field(string content, string expected)
    {
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(content));

        var error = Assert.Throws<InvalidDataException>(() => SiteCorpus.ReadJsonl(input).ToList());

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }
}
