using Google.Rpc;
using Grpc.Core;
using SiteCraft.Ml.Inference.V1;
using static SiteCraft.Ml.IntegrationTests.Inference.InferenceScope;

namespace SiteCraft.Ml.IntegrationTests.Inference;

[Collection(PlatformTestGroup.Name)]
public sealed class BadRequestTests(PlatformFixture platform)
{
    private const string UseCase = "site.seo.meta";

    public static TheoryData<string, string> BadRequests => new()
    {
        { "no-messages", "messages" },
        { "prompt-over-limit", "messages" },
        { "temperature-out-of-range", "params.temperature" },
        { "unknown-use-case", "use_case" },
        { "malformed-json-schema", "params.response_format.json_schema" },
        { "invalid-json-schema", "params.response_format.json_schema" },
        { "empty-message", "messages[0].text" },
        { "unserved-environment", "environment" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task A_bad_request_is_invalid_argument_naming_the_field(string problem, string field)
    {
        await using var scope = await CreateAsync(platform);
        await scope.ActivateAsync(UseCase, [Arm(OpenAIProvider, "echo")]);
        var request = scope.Request(UseCase, "a fine prompt");
        switch (problem)
        {
            case "no-messages":
                request.Messages.Clear();
                break;
            case "prompt-over-limit":
                // The fixture sets Inference:MaxPromptChars to 20000.
                request.Messages[0].Text = new string('x', 20_001);
                break;
            case "temperature-out-of-range":
                request.Params = new GenerationParams { Temperature = 3.5f };
                break;
            case "unknown-use-case":
                request.UseCase = "site.nonexistent";
                break;
            case "malformed-json-schema":
                request.Params = new GenerationParams { ResponseFormat = new ResponseFormat { Kind = ResponseFormat.Types.Kind.Json, JsonSchema = "{\"type\": " } };
                break;
            case "invalid-json-schema":
                request.Params = new GenerationParams { ResponseFormat = new ResponseFormat { Kind = ResponseFormat.Types.Kind.Json, JsonSchema = "{\"type\": 42}" } };
                break;
            case "empty-message":
                request.Messages[0].Text = "   ";
                break;
            case "unserved-environment":
                request.Environment = "elsewhere";
                break;
        }

        var error = await Assert.ThrowsAsync<RpcException>(() => scope.Client.GenerateAsync(request, deadline: DateTime.UtcNow.AddSeconds(10)).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var badRequest = error.GetRpcStatus()?.GetDetail<BadRequest>();
        Assert.NotNull(badRequest);
        Assert.Contains(badRequest.FieldViolations, v => v.Field == field && v.Description.Length > 0);
        Assert.Equal(0, scope.OpenAI.RequestCount);
    }

    [Fact]
    public async Task Every_problem_of_a_request_is_reported_at_once()
    {
        await using var scope = await CreateAsync(platform);
        var request = new GenerateRequest
        {
            Environment = scope.Environment,
            UseCase = "nope",
            Params = new GenerationParams { Temperature = -1, TopP = 0, MaxTokens = 0 },
        };

        var error = await Assert.ThrowsAsync<RpcException>(() => scope.Client.GenerateAsync(request, deadline: DateTime.UtcNow.AddSeconds(10)).ResponseAsync);

        var fields = error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations.Select(v => v.Field).ToHashSet();
        Assert.All(["use_case", "messages", "params.temperature", "params.top_p", "params.max_tokens"], field => Assert.Contains(field, fields));
    }
}
