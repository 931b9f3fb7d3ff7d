using System.Text.Json;
using System.Text.RegularExpressions;

namespace SiteCraft.Ml.IntegrationTests;

/// <summary>What azd deploys: the published Aspire manifest.</summary>
public sealed partial class ManifestTests
{
    [Fact]
    public async Task Published_manifest_has_every_service_and_the_database_and_no_secret_in_clear()
    {
        var text = await PublishAsync();
        using var manifest = JsonDocument.Parse(text);
        var resources = manifest.RootElement.GetProperty("resources");
        foreach (var project in new[] { "migrator", "inference", "evals", "contracts" })
        {
            Assert.Equal("project.v0", resources.GetProperty(project).GetProperty("type").GetString());
        }

        Assert.Equal("container.v0", resources.GetProperty("postgres").GetProperty("type").GetString());
        Assert.Contains("{postgres.connectionString}", resources.GetProperty("sitecraft").GetProperty("connectionString").GetString(), StringComparison.Ordinal);

        var password = resources.GetProperty("postgres-password").GetProperty("inputs").GetProperty("value");
        Assert.True(password.GetProperty("secret").GetBoolean());
        Assert.False(password.TryGetProperty("value", out _));

        // Every password in a connection string or variable is a {parameter} reference, never a literal.
        Assert.Empty(LiteralPassword().Matches(text));
    }

    /// <summary>Runs the AppHost with the manifest publisher, as azd does, and returns the manifest's text.</summary>
    public static async Task<string> PublishAsync()
    {
        var manifestPath = Path.Combine(Directory.CreateTempSubdirectory("sitecraft-manifest-").FullName, "aspire-manifest.json");
        var outcome = await AppHostProcess.RunAsync(["--publisher", "manifest", "--output-path", manifestPath]);
        Assert.True(outcome.ExitCode == 0, outcome.StandardOutput + outcome.StandardError);
        return await File.ReadAllTextAsync(manifestPath);
    }

    [GeneratedRegex(@"(?i)(password|pwd)(=|"":\s*"")(?!\{)[^;""]+")]
    private static partial Regex LiteralPassword();
}
