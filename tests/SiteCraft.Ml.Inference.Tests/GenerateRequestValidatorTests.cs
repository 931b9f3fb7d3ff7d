using SiteCraft.Ml.Inference.Generation;
using SiteCraft.Ml.Inference.Routing;
using SiteCraft.Ml.Inference.V1;

namespace SiteCraft.Ml.Inference.Tests;

public sealed class GenerateRequestValidatorTests
{
    private static readonly GenerateRequestValidator s_validator = new(
        new InferenceOptions { MaxPromptChars = 100, DefaultMaxTokens = 256 },
        new ServedEnvironments(new RoutingOptions { Environments = ["development", "test-*"] }, "development"));

    private static GenerateRequest Valid() => new()
    {
        UseCase = "site.section.copy",
        Messages = { new Message { Role = Role.User, Text = "hello" } },
    };

    [Fact]
    public void A_valid_request_passes_with_the_default_environment_and_max_tokens()
    {
        var validated = s_validator.Validate(Valid(), out var violations);

        Assert.Null(violations);
        Assert.Equal(("development", 256, "site.section.copy"), (validated.Environment, validated.MaxTokens, validated.UseCase.Id));
    }

    [Theory]
    [InlineData("test-abc", true)]
    [InlineData("development", true)]
    [InlineData("prod", false)]
    public void Only_served_environments_are_accepted(string environment, bool accepted)
    {
        var request = Valid();
        request.Environment = environment;

        s_validator.Validate(request, out var violations);

        Assert.Equal(accepted, violations is null);
    }

    [Fact]
    public void Each_bad_field_is_named_once_and_all_are_reported()
    {
        var request = new GenerateRequest
        {
            RequestId = new string('r', 129),
            UseCase = "site.unknown",
            Messages = { new Message { Role = Role.Unspecified, Text = "" } },
            Params = new GenerationParams
            {
                MaxTokens = 40_000,
                Temperature = 2.5f,
                TopP = 1.5f,
                Stop = { "a", "", "c", "d", "e" },
                ResponseFormat = new ResponseFormat { Kind = ResponseFormat.Types.Kind.Text, JsonSchema = "{}" },
            },
            Routing = new RoutingHints { MaxCostUsd = -1, Pinned = new PinnedRoute { Provider = "openai" } },
        };

        s_validator.Validate(request, out var violations);

        var fields = violations!.Select(v => v.Field).ToList();
        Assert.Equal(
            new[]
            {
                "request_id", "use_case", "messages[0].role", "messages[0].text", "params.max_tokens", "params.temperature",
                "params.top_p", "params.stop", "params.stop[1]", "params.response_format.json_schema", "routing.max_cost_usd",
                "routing.pinned.model",
            }.Order(),
            fields.Order());
    }

    [Fact]
    public void A_prompt_over_the_limit_counts_system_instructions_too()
    {
        var request = Valid();
        request.SystemInstructions = new string('s', 96);

        s_validator.Validate(request, out var violations);

        var violation = Assert.Single(violations!);
        Assert.Equal("messages", violation.Field);
        Assert.Contains("101 characters", violation.Description);
    }

    [Theory]
    [InlineData("{\"type\": ", "not valid JSON")]
    [InlineData("[1, 2]", "must be a JSON object")]
    [InlineData("{\"type\": 12}", "not a valid JSON Schema")]
    [InlineData("{\"minLength\": \"five\"}", "not a valid JSON Schema")]
    public void A_bad_json_schema_is_named_with_what_is_wrong(string schema, string expected)
    {
        var request = Valid();
        request.Params = new GenerationParams { ResponseFormat = new ResponseFormat { Kind = ResponseFormat.Types.Kind.Json, JsonSchema = schema } };

        s_validator.Validate(request, out var violations);

        var violation = Assert.Single(violations!);
        Assert.Equal("params.response_format.json_schema", violation.Field);
        Assert.Contains(expected, violation.Description);
    }

    [Fact]
    public void A_schema_with_an_id_is_accepted_on_every_request_not_only_the_first()
    {
        // The product sends the catalog's schema, which has an $id, with every request.
        var schema = SiteCraft.Ml.Catalog.UseCaseCatalog.Get("site.seo.meta").JsonSchema!;
        for (var i = 0; i < 3; i++)
        {
            var request = Valid();
            request.Params = new GenerationParams { ResponseFormat = new ResponseFormat { Kind = ResponseFormat.Types.Kind.Json, JsonSchema = schema } };

            s_validator.Validate(request, out var violations);

            Assert.Null(violations);
        }
    }

    [Fact]
    public void A_valid_json_schema_is_kept_for_the_provider()
    {
        var request = Valid();
        request.Params = new GenerationParams
        {
            ResponseFormat = new ResponseFormat { Kind = ResponseFormat.Types.Kind.Json, JsonSchema = "{\"type\": \"object\", \"required\": [\"title\"]}" },
        };

        var validated = s_validator.Validate(request, out var violations);

        Assert.Null(violations);
        Assert.Equal("object", validated.JsonSchema!.Value.GetProperty("type").GetString());
    }
}
