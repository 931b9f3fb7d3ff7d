namespace SiteCraft.Ml.FakeProviders;

/// <summary>
/// One answer the fake is about to send, unary or streamed. <c>Sequence</c> makes the response
/// id unique within a server's life; <c>Created</c> is Unix seconds, for OpenAI's <c>created</c>.
/// </summary>
internal readonly record struct Completion(long Sequence, long Created, string Model, int InputTokens, int OutputTokens, string Text);
