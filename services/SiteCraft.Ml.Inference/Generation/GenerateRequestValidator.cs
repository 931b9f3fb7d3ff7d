using System.Text.Json;
using Json.Schema;
using SiteCraft.Ml.Catalog;
using SiteCraft.Ml.Inference.Routing;
using SiteCraft.Ml.Inference.V1;

namespace SiteCraft.Ml.Inference.Generation;

/// <summary>A request that passed validation, with what validation had to parse anyway.</summary>
public sealed record ValidatedRequest(
    GenerateRequest Request,
    string Environment,
    UseCase UseCase,
    int MaxTokens,
    int PromptChars,
    JsonElement? JsonSchema);

/// <summary>
/// Checks a GenerateRequest and reports every problem at once, each naming its field the way the
/// .proto spells it (e.g. "params.temperature", "messages[2].text").
/// </summary>
public sealed class GenerateRequestValidator(InferenceOptions options, ServedEnvironments environments)
{
    public const int MaxRequestIdLength = 128;
    public const int MaxMetadataEntries = 32;
    public const int MaxMetadataKeyLength = 64;
    public const int MaxMetadataValueLength = 1024;
    public const int MaxStopSequences = 4;

    public ValidatedRequest Validate(GenerateRequest request, out List<FieldViolation>? violations)
    {
        violations = null;

        if (request.RequestId.Length > MaxRequestIdLength)
        {
            Add(ref violations, "request_id", $"is {request.RequestId.Length} characters; at most {MaxRequestIdLength}");
        }

        var environment = request.Environment.Length == 0 ? environments.Default : request.Environment;
        if (!environments.Serves(environment))
        {
            Add(ref violations, "environment", $"'{environment}' is not served by this replica (serves: {environments.Description})");
        }

        UseCase? useCase = null;
        if (request.UseCase.Length == 0)
        {
            Add(ref violations, "use_case", $"is required; one of {string.Join(", ", UseCaseCatalog.Ids)}");
        }
        else if (!UseCaseCatalog.TryGet(request.UseCase, out var found))
        {
            Add(ref violations, "use_case", $"unknown use case '{request.UseCase}'; one of {string.Join(", ", UseCaseCatalog.Ids)}");
        }
        else
        {
            useCase = found;
        }

        var promptChars = request.SystemInstructions.Length;
        if (request.Messages.Count == 0)
        {
            Add(ref violations, "messages", "at least one message is required");
        }

        for (var i = 0; i < request.Messages.Count; i++)
        {
            var message = request.Messages[i];
            if (message.Role is not (Role.User or Role.Assistant))
            {
                Add(ref violations, $"messages[{i}].role", "must be ROLE_USER or ROLE_ASSISTANT");
            }

            if (string.IsNullOrWhiteSpace(message.Text))
            {
                Add(ref violations, $"messages[{i}].text", "is empty");
            }

            promptChars += message.Text.Length;
        }

        if (promptChars > options.MaxPromptChars)
        {
            Add(ref violations, "messages", $"the prompt is {promptChars} characters (system_instructions included); the limit is {options.MaxPromptChars}");
        }

        var maxTokens = options.DefaultMaxTokens;
        JsonElement? schema = null;
        if (request.Params is { } p)
        {
            if (p.HasMaxTokens)
            {
                if (p.MaxTokens is < 1 or > 32768)
                {
                    Add(ref violations, "params.max_tokens", $"{p.MaxTokens} is out of range 1..32768");
                }
                else
                {
                    maxTokens = p.MaxTokens;
                }
            }

            if (p.HasTemperature && !(p.Temperature >= 0 && p.Temperature <= 2))
            {
                Add(ref violations, "params.temperature", $"{p.Temperature} is out of range 0..2");
            }

            if (p.HasTopP && !(p.TopP > 0 && p.TopP <= 1))
            {
                Add(ref violations, "params.top_p", $"{p.TopP} is out of range (0, 1]");
            }

            if (p.Stop.Count > MaxStopSequences)
            {
                Add(ref violations, "params.stop", $"{p.Stop.Count} stop sequences; at most {MaxStopSequences}");
            }

            for (var i = 0; i < p.Stop.Count; i++)
            {
                if (p.Stop[i].Length == 0)
                {
                    Add(ref violations, $"params.stop[{i}]", "is empty");
                }
            }

            if (p.ResponseFormat is { } format)
            {
                schema = ValidateResponseFormat(format, ref violations);
            }
        }

        if (request.Routing is { } routing)
        {
            if (routing.HasMaxCostUsd && !(routing.MaxCostUsd >= 0 && double.IsFinite(routing.MaxCostUsd)))
            {
                Add(ref violations, "routing.max_cost_usd", $"{routing.MaxCostUsd} must be a finite number >= 0");
            }

            if (routing.Pinned is { } pinned)
            {
                if (pinned.Provider.Length == 0)
                {
                    Add(ref violations, "routing.pinned.provider", "is required with a pinned route");
                }

                if (pinned.Model.Length == 0)
                {
                    Add(ref violations, "routing.pinned.model", "is required with a pinned route");
                }
            }
        }

        if (request.Metadata.Count > MaxMetadataEntries)
        {
            Add(ref violations, "metadata", $"{request.Metadata.Count} entries; at most {MaxMetadataEntries}");
        }

        foreach (var (key, value) in request.Metadata)
        {
            if (key.Length is 0 or > MaxMetadataKeyLength)
            {
                Add(ref violations, "metadata", $"key '{Excerpt(key)}' must be 1..{MaxMetadataKeyLength} characters");
            }

            if (value.Length > MaxMetadataValueLength)
            {
                Add(ref violations, $"metadata[{key}]", $"value is {value.Length} characters; at most {MaxMetadataValueLength}");
            }
        }

        return new ValidatedRequest(request, environment, useCase!, maxTokens, promptChars, schema);
    }

    private static JsonElement? ValidateResponseFormat(ResponseFormat format, ref List<FieldViolation>? violations)
    {
        if (format.JsonSchema.Length == 0)
        {
            return null;
        }

        if (format.Kind != ResponseFormat.Types.Kind.Json)
        {
            Add(ref violations, "params.response_format.json_schema", "is only allowed with KIND_JSON");
            return null;
        }

        JsonElement element;
        try
        {
            using var document = JsonDocument.Parse(format.JsonSchema);
            element = document.RootElement.Clone();
        }
        catch (JsonException exception)
        {
            Add(ref violations, "params.response_format.json_schema", $"is not valid JSON: {exception.Message}");
            return null;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            Add(ref violations, "params.response_format.json_schema", $"must be a JSON object, not {element.ValueKind}");
            return null;
        }

        try
        {
            // A registry of its own: the global one refuses a second schema with the same $id, and the
            // product sends the catalog's schema (which has one) with every request.
            JsonSchema.FromText(format.JsonSchema, new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        }
        catch (Exception exception) when (exception is JsonException or JsonSchemaException or ArgumentException or InvalidOperationException)
        {
            Add(ref violations, "params.response_format.json_schema", $"is not a valid JSON Schema: {exception.Message}");
            return null;
        }

        return element;
    }

    private static string Excerpt(string value) => value.Length <= 40 ? value : value[..40] + "…";

    private static void Add(ref List<FieldViolation>? violations, string field, string description) =>
        (violations ??= []).Add(new FieldViolation(field, description));
}
