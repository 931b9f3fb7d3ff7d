using System.Text;
using System.Text.Json;
using SiteCraft.Ml.LocalModel.Serving;

namespace SiteCraft.Ml.LocalModel.Tests.Serving;

public sealed class JsonPrefixTests
{
    public static TheoryData<string> Valid =>
    [
        """{"title":"Fresh bread","language":"en-GB","sections":[{"type":"hero","heading":"Hi","body":"x","cta":{"label":"Go","href":"#contact"}}]}""",
        """ { "a" : [ 1, -2.5e+3, 0, 0.25, 10E-2, true, false, null, "q\"\\\/\b\f\n\r\t\u00e9" ], "b" : { } , "c": [] } """,
        "[]",
        "\"just a string\"",
        "{\"é\":\"ünïcödé ✓ 🎉\"}",
        "[[[[[]]]]]",
    ];

    [Theory]
    [MemberData(nameof(Valid))]
    public void Every_prefix_of_valid_json_is_accepted_and_only_the_whole_is_complete(string json)
    {
        Assert.True(IsJson(json), "the example itself must be valid JSON");
        var bytes = Encoding.UTF8.GetBytes(json);
        var state = default(JsonPrefix);
        for (var i = 0; i < bytes.Length; i++)
        {
            Assert.True(state.Push(bytes[i]), $"byte {i} ('{(char)bytes[i]}') of {json}");
            var rest = Encoding.UTF8.GetString(bytes[(i + 1)..]);
            if (state.IsComplete)
            {
                Assert.True(string.IsNullOrWhiteSpace(rest), $"complete after {i + 1} bytes of {json}");
            }
        }

        Assert.True(state.IsComplete);
    }

    [Theory]
    [InlineData("{\"a\" 1}", 5)]
    [InlineData("{,}", 1)]
    [InlineData("[1,]", 3)]
    [InlineData("{\"a\":tru}", 8)]
    [InlineData("01", 1)]
    [InlineData("\"\\x\"", 2)]
    [InlineData("\"a\nb\"", 2)]
    [InlineData("}", 0)]
    [InlineData("{\"a\":1}}", 7)]
    [InlineData("{a:1}", 1)]
    [InlineData("[1.]", 3)]
    [InlineData("[-]", 2)]
    [InlineData("{\"a\":1]", 6)]
    public void Invalid_json_is_refused_at_the_first_byte_that_cannot_continue_it(string text, int failsAt)
    {
        Assert.False(IsJson(text));
        var bytes = Encoding.UTF8.GetBytes(text);
        var state = default(JsonPrefix);
        for (var i = 0; i < failsAt; i++)
        {
            Assert.True(state.Push(bytes[i]), $"byte {i} of {text}");
        }

        Assert.False(state.Push(bytes[failsAt]));
    }

    [Fact]
    public void Nesting_deeper_than_64_levels_is_refused()
    {
        var state = default(JsonPrefix);
        for (var i = 0; i < 64; i++)
        {
            Assert.True(state.Push((byte)'['));
        }

        Assert.False(state.Push((byte)'['));
    }

    private static bool IsJson(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
