namespace SiteCraft.Ml.FakeProviders;

/// <summary>
/// What the fake needs from a chat request body, OpenAI's or Anthropic's. <c>InputWords</c>
/// counts every message's text, the system prompt included; <c>LastUserText</c> is the last
/// user message with its text parts concatenated.
/// </summary>
internal readonly record struct ChatRequest(ModelEntry Model, bool Stream, bool IncludeUsage, int InputWords, string LastUserText);
