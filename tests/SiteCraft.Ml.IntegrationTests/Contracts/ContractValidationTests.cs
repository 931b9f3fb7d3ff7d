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
        await using var db = await platform.OpenDatabaseAsync();
        var stored = await db.ScalarAsync<string>("select sha256 from ai_data_contracts where contract_id = 'ai_training_examples' and version = '1.0.0'");
        Assert.Equal(contract["sha256"]!.GetValue<string>(), stored);
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

[Collection(PlatformTestGroup.Name)]
public sealed class ContractRegistrationTests(PlatformFixture platform)
{
    [Fact]
    public async Task A_contract_changed_without_a_version_bump_stops_the_service()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"sitecraft-contracts-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            // The shipped contract with one more line: same id and version, another hash.
            var shipped = await File.ReadAllTextAsync(Path.Combine(ContractStartupTests.ServiceDirectory(), "contracts", "ai_training_examples.yaml"));
            await File.WriteAllTextAsync(Path.Combine(folder, "ai_training_examples.yaml"), shipped + "\n# edited without a version bump\n");

            var outcome = await AppHostProcess.RunDllAsync(ContractStartupTests.ServiceDll(),
            [
                $"--Contracts:Directory={folder}",
                $"--ConnectionStrings:sitecraft={await platform.ConnectionStringAsync()}",
                "--Kestrel:Endpoints:http:Url=http://127.0.0.1:0",
                "--Kestrel:Endpoints:grpc:Url=http://127.0.0.1:0",
            ]);

            Assert.NotEqual(0, outcome.ExitCode);
            Assert.Contains("bump its version", outcome.StandardOutput + outcome.StandardError);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

public sealed class ContractStartupTests
{
    /// <summary>The contracts service's build output, in the configuration the tests were built in.</summary>
    public static string ServiceDirectory()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        return Path.Combine(Path.GetDirectoryName(new Projects.SiteCraft_Ml_Contracts().ProjectPath)!, "bin", configuration, "net10.0");
    }

    public static string ServiceDll() => Path.Combine(ServiceDirectory(), "SiteCraft.Ml.Contracts.dll");

    [Fact]
    public async Task A_malformed_contract_stops_the_service_naming_the_file_and_line()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"sitecraft-contracts-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "broken.yaml"), "apiVersion: v3.0.2\nkind: DataContract\nid: broken\nversion: not-semver\nstatus: active\n");
            var outcome = await AppHostProcess.RunDllAsync(ServiceDll(), [$"--Contracts:Directory={folder}", "--ConnectionStrings:sitecraft=Host=localhost;Database=unused"]);

            Assert.NotEqual(0, outcome.ExitCode);
            Assert.Matches(@"broken\.yaml:4:\d+", outcome.StandardOutput + outcome.StandardError);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
