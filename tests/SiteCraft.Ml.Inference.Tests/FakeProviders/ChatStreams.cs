using Microsoft.Extensions.AI;

namespace SiteCraft.Ml.Inference.Tests.FakeProviders;

internal static class ChatStreams
{
    /// <summary>Reads a stream to its end or its first failure, keeping what arrived before it.</summary>
    public static async Task<(List<ChatResponseUpdate> Updates, Exception? Failure)> ReadAsync(IAsyncEnumerable<ChatResponseUpdate> stream)
    {
        var updates = new List<ChatResponseUpdate>();
        try
        {
            await foreach (var update in stream)
            {
                updates.Add(update);
            }

            return (updates, null);
        }
        catch (IOException e)
        {
            return (updates, e);
        }
    }

    public static List<string> Texts(IEnumerable<ChatResponseUpdate> updates) =>
        updates.Select(u => u.Text).Where(t => t.Length > 0).ToList();
}
