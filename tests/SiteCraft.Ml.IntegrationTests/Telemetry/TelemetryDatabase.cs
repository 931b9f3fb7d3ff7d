namespace SiteCraft.Ml.IntegrationTests.Telemetry;

/// <summary>A fresh database on the platform's server with the repo's migrations applied.</summary>
public static class TelemetryDatabase
{
    public static Task<string> CreateAsync(PlatformFixture platform) => MigratedDatabase.CreateAsync(platform, "telemetry");
}
