namespace SiteCraft.Ml.AppHost;

public static class SiteCraftServiceExtensions
{
    public const string EnvironmentSetting = "SiteCraft:Environment";

    /// <summary>Which overlay and routing environment the platform runs as (development, staging, prod, single_db).</summary>
    public static IResourceBuilder<ProjectResource> WithSiteCraftEnvironment(this IResourceBuilder<ProjectResource> project) =>
        project.WithEnvironment("SITECRAFT_ENVIRONMENT", project.ApplicationBuilder.Configuration[EnvironmentSetting] ?? "development");

    /// <summary>
    /// A platform service: gRPC on an h2c-only endpoint ("grpc"), health, admin and pages on HTTP/1.1
    /// ("http"); both come from the service's Kestrel configuration. Readiness is /health on "http".
    /// </summary>
    public static IResourceBuilder<ProjectResource> AsSiteCraftService(this IResourceBuilder<ProjectResource> project) =>
        project
            .WithSiteCraftEnvironment()
            .WithHttpHealthCheck("/health", endpointName: "http");
}
