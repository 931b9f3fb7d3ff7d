using Microsoft.Extensions.AI;

namespace SiteCraft.Ml.Inference.Tests.FakeProviders;

internal static class Conversation
{
    // 3 + 2 + 1 + 3 = 9 words in; the echo "echo: say something nice" is 4 words out.
    public const int InputWords = 9;
    public const string Echo = "echo: say something nice";
    public const int EchoWords = 4;

    public static List<ChatMessage> FourTurns() =>
    [
        new(ChatRole.System, "You are terse."),
        new(ChatRole.User, "hello there"),
        new(ChatRole.Assistant, "hi"),
        new(ChatRole.User, "say something nice"),
    ];
}
