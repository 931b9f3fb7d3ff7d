using Microsoft.Extensions.AI;
using SiteCraft.Ml.LocalModel.Serving;

namespace SiteCraft.Ml.Inference.Providers.Local;

/// <summary>Provider kind "local": the repo's own model, served in-process by <see cref="LocalModelHost"/>; needs no key and no network.</summary>
public sealed class LocalModelClientFactory(LocalModelHost host) : IProviderClientFactory
{
    public string Kind => "local";

    public string? DisabledReason(ProviderConfig config, string? apiKey) => host.Problem;

    public IChatClient Create(ProviderConfig config, string? apiKey, string model, HttpClient http) =>
        new LocalChatClient(host.Resolve, model);
}
