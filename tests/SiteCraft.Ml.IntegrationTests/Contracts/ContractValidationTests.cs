using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace SiteCraft.Ml.IntegrationTests.Contracts;

[Collection(PlatformTestGroup.Name)]
public sealed class ContractValidationTests(PlatformFixture platform)
{
    [Fact]
    public async Task The_service_lists_the_shipped_contract_with_its_version_and_hash()
    {
        using var http = platform.App.CreateHttpClient("contracts", "http");

        var contracts = (await http.GetFromJsonAsync<JsonArray>("/api/contracts"))!;

        var contract = Assert.Single(contracts, c => c!["id"]!.GetValue<string>() == "ai_training_examples")!;
        Assert.Equal("1.0.0", contract["version"]!.GetValue<string>());
        Assert.Matches("^[0-9a-f]{64}$", contract["sha256"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_batch_is_answered_with_every_violation_of_every_record()
    {
        using var http = platform.App.CreateHttpClient("contracts", "http");
        var batch = new JsonArray
        {
            new JsonObject { ["id"] = "not-a-uuid", ["use_case"] = "site.unknown", ["consent"] = "yes" },
            42,
        };

        using var response = await http.PostAsJsonAsync("/api/contracts/ai_training_examples/validate", batch);
        var report = (await response.Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, report["invalid_count"]!.GetValue<int>());
        var paths = report["records"]![0]!["violations"]!.AsArray().Select(v => v!["path"]!.GetValue<string>()).ToHashSet();
        Assert.Contains("id", paths);
        Assert.Contains("use_case", paths);
        Assert.Contains("consent", paths);
        Assert.NotEmpty(report["records"]![1]!["violations"]!.AsArray());
    }

    [Fact]
    public async Task A_body_that_is_not_a_json_array_is_refused_naming_the_body()
    {
        using var http = platform.App.CreateHttpClient("contracts", "http");

        using var response = await http.PostAsJsonAsync("/api/contracts/ai_training_examples/validate", new { id = "x" });
        var unknown = await http.PostAsJsonAsync("/api/contracts/nope/validate", new JsonArray());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("JSON array", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}

public sealed class ContractStartupTests
{
    [Fact]
    public async Task A_malformed_contract_stops_the_service_naming_the_file_and_line()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"sitecraft-contracts-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "broken.yaml"), "apiVersion: v3.0.2\nkind: DataContract\nid: broken\nversion: not-semver\nstatus: active\n");
            // The service's build output sits beside its project, in the configuration the tests were built in.
            var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
            var dll = Path.Combine(Path.GetDirectoryName(new Projects.SiteCraft_Ml_Contracts().ProjectPath)!, "bin", configuration, "net10.0", "SiteCraft.Ml.Contracts.dll");

            var outcome = await AppHostProcess.RunDllAsync(dll, [$"--Contracts:Directory={folder}", "--ConnectionStrings:sitecraft=Host=localhost;Database=unused"]);

            Assert.NotEqual(0, outcome.ExitCode);
            Assert.Matches(@"broken\.yaml:4:\d+", outcome.StandardOutput + outcome.StandardError);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
