using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace SiteCraft.Ml.Catalog;

public static class UseCaseCatalogEndpoints
{
    /// <summary>GET /api/use-cases and /api/use-cases/{id}/schema: the catalog as every service sees it.</summary>
    public static IEndpointRouteBuilder MapUseCaseCatalog(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/use-cases");
        group.MapGet("/", () => UseCaseCatalog.All.Select(u => new
        {
            u.Id,
            u.Title,
            u.Description,
            Format = u.Format.ToString().ToLowerInvariant(),
            HasSchema = u.JsonSchema is not null,
            u.Limits,
        }));
        group.MapGet("/{id}/schema", (string id) =>
            UseCaseCatalog.TryGet(id, out var useCase) && useCase.JsonSchema is { } schema
                ? Results.Text(schema, "application/schema+json")
                : Results.Problem(
                    title: "No such schema",
                    detail: $"Use case '{id}' has no JSON Schema. Known use cases: {string.Join(", ", UseCaseCatalog.Ids)}.",
                    statusCode: StatusCodes.Status404NotFound));
        return endpoints;
    }
}
