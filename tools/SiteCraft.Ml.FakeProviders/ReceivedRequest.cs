namespace SiteCraft.Ml.FakeProviders;

/// <summary>One request as the fake provider saw it.</summary>
/// <param name="Model">The <c>model</c> field of the body; empty when the body named none or was not JSON.</param>
/// <param name="Stream">Whether the body asked for a streamed answer.</param>
/// <param name="ApiKey">The key from <c>x-api-key</c> or <c>Authorization: Bearer</c>, or null when neither was sent.</param>
/// <param name="Body">The raw JSON body.</param>
public sealed record ReceivedRequest(string Model, bool Stream, string? ApiKey, string Body);
