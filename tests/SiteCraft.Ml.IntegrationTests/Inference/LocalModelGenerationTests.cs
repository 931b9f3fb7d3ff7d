using Grpc.Core;
using Grpc.Net.Client;
using SiteCraft.Ml.Inference.V1;
using SiteCraft.Ml.Training.Corpus;

namespace SiteCraft.Ml.IntegrationTests.Inference;

/// <summary>
/// The development environment as a developer gets it from a fresh clone: every use case routes
/// to the committed local model, with no key and no network.
/// </summary>
[Collection(PlatformTestGroup.Name)]
public sealed class LocalModelGenerationTests(PlatformFixture platform)
{
    private static GenerateRequest Request(string useCase, Action<GenerateRequest>? configure = null)
    {
        var brief = SiteCorpus.HeldOutBriefs(seed: 4242, count: 1)[0];
        var prompt = SiteCorpus.PromptFor(useCase, brief, useCase == "site.section.copy" ? brief.Sections[0] : null);
        var request = new GenerateRequest
        {
            Environment = "development",
            UseCase = useCase,
            TenantId = "tenant-local",
            SiteId = "site-local",
            UserId = "user-local",
            SystemInstructions = prompt[0].Content,
            Messages = { new Message { Role = Role.User, Text = prompt[1].Content } },
        };
        configure?.Invoke(request);
        return request;
    }

    private GenerationService.GenerationServiceClient Client() =>
        new(GrpcChannel.ForAddress(platform.App.GetEndpoint("inference", "grpc")));

    [Fact]
    public async Task Development_answers_from_the_committed_local_model()
    {
        var response = await Client().GenerateAsync(Request("site.seo.meta"), deadline: DateTime.UtcNow.AddSeconds(60));

        Assert.Equal("sitecraft-local", response.Provider);
        Assert.Equal("sitecraft-base@1", response.Model);
        Assert.Equal("stop", response.FinishReason);
        Assert.False(string.IsNullOrWhiteSpace(response.Text));
        Assert.True(response.Usage.InputTokens > 20 && response.Usage.OutputTokens > 5, $"usage {response.Usage}");
        Assert.Equal(0, response.CostUsd);
    }

    [Fact]
    public async Task Local_generation_streams_deltas_that_add_up_to_the_answer()
    {
        var client = Client();
        var whole = await client.GenerateAsync(Request("site.section.copy"), deadline: DateTime.UtcNow.AddSeconds(60));

        using var call = client.GenerateStream(Request("site.section.copy"), deadline: DateTime.UtcNow.AddSeconds(60));
        var events = new List<GenerateEvent>();
        await foreach (var e in call.ResponseStream.ReadAllAsync())
        {
            events.Add(e);
        }

        Assert.Equal(GenerateEvent.EventOneofCase.Started, events[0].EventCase);
        Assert.Equal("sitecraft-local", events[0].Started.Provider);
        var deltas = events.Where(e => e.EventCase == GenerateEvent.EventOneofCase.Delta).ToList();
        Assert.True(deltas.Count > 1, "the answer should arrive in pieces");
        // Greedy by default: the stream and the unary call give the same text.
        Assert.Equal(whole.Text, string.Concat(deltas.Select(d => d.Delta.Text)));
        Assert.Equal(GenerateEvent.EventOneofCase.Completed, events[^1].EventCase);
        Assert.Equal("stop", events[^1].Completed.FinishReason);
    }

    [Fact]
    public async Task A_prompt_longer_than_the_context_is_refused_naming_the_limit()
    {
        // About 5,400 characters: within the service's prompt limit, but well over 512 tokens.
        var longBrief = string.Join(' ', Enumerable.Repeat("bakery sourdough croissant", 200));

        var error = await Assert.ThrowsAsync<RpcException>(async () => await Client().GenerateAsync(
            Request("site.seo.meta", r => r.Messages[0].Text = longBrief),
            deadline: DateTime.UtcNow.AddSeconds(60)));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("context is 512 tokens", error.Status.Detail, StringComparison.Ordinal);
    }
}
