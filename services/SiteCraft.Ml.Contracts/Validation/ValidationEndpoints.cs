using System.Text.Json;
using SiteCraft.Ml.Contracts.Core.Definitions;

namespace SiteCraft.Ml.Contracts.Validation;

/// <summary>
/// Validation of small batches over HTTP: every violation of every record, no side effects.
/// Large batches belong on the gRPC Validate stream.
/// </summary>
public static class ValidationEndpoints
{
    public const int MaxRecords = 1000;
    public const long MaxBodyBytes = 8 * 1024 * 1024;

    public static IEndpointRouteBuilder MapContractValidation(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/contracts", (ContractCatalog catalog) =>
            TypedResults.Ok(catalog.Contracts.Select(c => new ContractSummary(c.Id, c.Version, c.Status, c.Sha256)).ToList()));

        app.MapPost("/api/contracts/{id}/validate", async (string id, HttpRequest request, ContractCatalog catalog, CancellationToken ct) =>
        {
            if (catalog.ValidatorFor(id) is not { } validator)
            {
                return Results.Problem($"No data contract '{id}'. Known: {string.Join(", ", catalog.Contracts.Select(c => c.Id))}.", statusCode: StatusCodes.Status404NotFound);
            }

            if (request.ContentLength > MaxBodyBytes)
            {
                return Results.Problem($"The body is {request.ContentLength} bytes; at most {MaxBodyBytes} here (use the gRPC stream for more).", statusCode: StatusCodes.Status413PayloadTooLarge);
            }

            JsonDocument batch;
            try
            {
                batch = await JsonDocument.ParseAsync(request.Body, new JsonDocumentOptions { MaxDepth = 256 }, ct);
            }
            catch (JsonException exception)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["body"] = [$"not valid JSON: {exception.Message}"] });
            }

            using (batch)
            {
                if (batch.RootElement.ValueKind != JsonValueKind.Array)
                {
                    return Results.ValidationProblem(new Dictionary<string, string[]> { ["body"] = [$"must be a JSON array of records, not {batch.RootElement.ValueKind}"] });
                }

                if (batch.RootElement.GetArrayLength() > MaxRecords)
                {
                    return Results.ValidationProblem(new Dictionary<string, string[]> { ["body"] = [$"{batch.RootElement.GetArrayLength()} records; at most {MaxRecords} per request"] });
                }

                var results = new List<RecordResult>();
                var index = 0;
                foreach (var record in batch.RootElement.EnumerateArray())
                {
                    var result = validator.Validate(record);
                    results.Add(new RecordResult(index++, result.IsValid,
                        [.. result.Violations.Select(v => new ViolationDto(v.Path, v.Rule, v.Message, v.Excerpt))]));
                }

                var valid = results.Count(r => r.Valid);
                return Results.Ok(new ValidationReport(validator.Contract.Key, valid, results.Count - valid, results));
            }
        });

        return app;
    }
}
