using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace SiteCraft.Ml.IntegrationTests.Evals;

/// <summary>The eval service's HTML report, read by a real headless Chromium against the running platform.</summary>
[Collection(PlatformTestGroup.Name)]
public sealed partial class ReportPagesTests(PlatformFixture platform) : IAsyncLifetime
{
    private const string ChromiumPath = "/usr/bin/chromium";
    private const float TimeoutMs = 30_000;

    private readonly List<string> _dialogs = [];
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private IPage _page = null!;
    private SeededEvalRuns _runs = null!;

    public async Task InitializeAsync()
    {
        // A missing browser is a broken machine, not a reason to skip: the report would go untested.
        Assert.True(
            File.Exists(ChromiumPath),
            $"{ChromiumPath} is missing: install Debian's Chromium with `sudo apt-get install -y chromium` (.ci/run does this).");

        await using (var db = await platform.OpenDatabaseAsync())
        {
            _runs = await SeededEvalRuns.InsertAsync(db.DataSource);
        }

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
            Timeout = TimeoutMs,
        });
        _page = await _browser.NewPageAsync(new() { BaseURL = platform.App.GetEndpoint("evals", "http").ToString() });
        _page.SetDefaultTimeout(TimeoutMs);
        _page.Dialog += (_, dialog) =>
        {
            _dialogs.Add(dialog.Message);
            _ = dialog.DismissAsync();
        };
    }

    [Fact]
    public async Task The_runs_list_shows_both_runs_and_clicking_one_opens_its_detail()
    {
        await GoAsync("/evals");

        await Expect(_page.Locator("h1")).ToHaveTextAsync("Eval runs");
        var baseline = RunRow(_runs.BaselineRunId);
        var candidate = RunRow(_runs.CandidateRunId);
        await Expect(baseline).ToContainTextAsync("test/baseline-model");
        await Expect(baseline.GetByTestId("pass-rate")).ToHaveTextAsync("100.0% (4/4, 95% CI 51.0%–100.0%)");
        await Expect(candidate).ToContainTextAsync("test/candidate-model");
        await Expect(candidate).ToContainTextAsync(_runs.Environment);
        await Expect(candidate.GetByTestId("pass-rate")).ToHaveTextAsync("66.7% (2/3, 95% CI 20.8%–93.9%)");
        // Newest first: the candidate was created after the baseline.
        var order = await _page.Locator("tr[data-testid=run-row]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.runId)");
        Assert.True(
            Array.IndexOf(order, _runs.CandidateRunId.ToString()) < Array.IndexOf(order, _runs.BaselineRunId.ToString()),
            "the newer candidate run should be listed before the baseline");

        await candidate.GetByTestId("run-link").ClickAsync();

        await _page.WaitForURLAsync($"**/evals/runs/{_runs.CandidateRunId}");
        await Expect(_page.Locator("h1")).ToContainTextAsync("on test/candidate-model");
        await Expect(_page.GetByTestId("run-id")).ToHaveTextAsync(_runs.CandidateRunId.ToString());
    }

    [Fact]
    public async Task The_run_page_lists_failures_first_with_intervals_and_shows_hostile_output_as_text()
    {
        await GoAsync($"/evals/runs/{_runs.CandidateRunId}");

        var samples = _page.Locator("tr[data-testid=sample]");
        Assert.Equal(["failed", "error", "passed", "passed"], await samples.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.outcome)"));
        Assert.Equal(["c2", "c3", "c1", "c4"], await samples.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.case)"));

        // Wilson 95% for 2 of 3 judged samples (the errored one is neither): 0.208 to 0.939.
        await Expect(_page.Locator("table[data-testid=metrics] [data-testid=pass-rate]")).ToHaveTextAsync("66.7% (2/3, 95% CI 20.8%–93.9%)");
        await Expect(_page.GetByTestId("mean-score")).ToHaveTextAsync(MeanScorePattern());
        await Expect(_page.GetByTestId("error-rate")).ToHaveTextAsync("25.0%");
        await Expect(_page.Locator("tr[data-assertion=mentions-brand]")).ToContainTextAsync("66.7% (2/3,");
        await Expect(_page.Locator("tr[data-assertion=length]")).ToContainTextAsync("100.0% (1/1,");

        var failure = _page.Locator("tr[data-case=c2]");
        await Expect(failure.GetByTestId("failed-assertion")).ToHaveTextAsync($"mentions-brand contains 0.000: {SeededEvalRuns.FailedReason}");
        Assert.Equal(SeededEvalRuns.HostileOutput, await failure.GetByTestId("output").TextContentAsync());
        Assert.StartsWith("&lt;script&gt;alert(1)&lt;/script&gt;", await failure.GetByTestId("output").InnerHTMLAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await _page.Locator("script, img").CountAsync());
        Assert.Empty(_dialogs);

        await Expect(_page.Locator("tr[data-case=c3] [data-testid=error]")).ToHaveTextAsync("UNAVAILABLE: every candidate failed");
        var longOutput = _page.Locator("tr[data-case=c4]");
        Assert.Equal(2000, (await longOutput.GetByTestId("output").TextContentAsync())!.Length);
        await Expect(longOutput.GetByTestId("truncated")).ToHaveTextAsync("First 2,000 of 2,500 characters.");
        await Expect(longOutput).ToContainTextAsync("yes");

        await Expect(_page.GetByTestId("gate-decision")).ToHaveTextAsync("failed");
        await Expect(_page.GetByTestId("gate-reason").First).ToHaveTextAsync(SeededEvalRuns.GateReason);
    }

    [Fact]
    public async Task Comparing_two_runs_picked_in_the_form_shows_the_regressions_worst_first()
    {
        await GoAsync("/evals");

        await _page.Locator("#baseline").SelectOptionAsync(_runs.BaselineRunId.ToString());
        await _page.Locator("#candidate").SelectOptionAsync(_runs.CandidateRunId.ToString());
        await _page.Locator("#compare").ClickAsync();

        await _page.WaitForURLAsync("**/evals/compare?**");
        await Expect(_page.Locator("h1")).ToHaveTextAsync("Compare runs");
        // c3 errored in the candidate, so three cases pair: differences 0, −0.8 and −0.1.
        await Expect(_page.GetByTestId("pairs")).ToHaveTextAsync("3");
        await Expect(_page.GetByTestId("mean-difference")).ToHaveTextAsync("−0.300");
        await Expect(_page.GetByTestId("p-value")).ToHaveTextAsync(new Regex(@"^0\.\d{4}$"));
        var regressions = _page.Locator("table[data-testid=regressions] tbody tr");
        Assert.Equal(["c2", "c4"], await regressions.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.case)"));
        await Expect(regressions.First).ToContainTextAsync("1.000");
        await Expect(regressions.First).ToContainTextAsync("0.200");
        await Expect(regressions.First).ToContainTextAsync("−0.800");
        await Expect(_page.GetByTestId("improvements")).ToHaveTextAsync("None.");
    }

    [Fact]
    public async Task Comparing_runs_that_share_no_scored_case_says_so()
    {
        await GoAsync($"/evals/compare?baseline={_runs.BaselineRunId}&candidate={_runs.EmptyRunId}");

        await Expect(_page.GetByTestId("no-shared-cases")).ToContainTextAsync("share no scored case");
    }

    [Fact]
    public async Task The_gates_page_shows_the_decision_and_its_reasons_and_links_to_the_run()
    {
        await GoAsync("/evals");
        await _page.GetByTestId("nav-gates").ClickAsync();

        await Expect(_page.Locator("h1")).ToHaveTextAsync("Gate decisions");
        var gate = _page.Locator($"tr[data-environment='{_runs.Environment}']");
        await Expect(gate.GetByTestId("gate-decision")).ToHaveTextAsync("failed");
        await Expect(gate.GetByTestId("gate-reason")).ToHaveTextAsync([SeededEvalRuns.GateReason, "case c2 regressed by 0.800"]);
        await Expect(gate).ToContainTextAsync("test/candidate-model");

        await gate.GetByRole(AriaRole.Link).ClickAsync();
        await _page.WaitForURLAsync($"**/evals/runs/{_runs.CandidateRunId}");
    }

    [Fact]
    public async Task The_online_page_shows_todays_online_score()
    {
        await GoAsync("/evals");
        await _page.GetByTestId("nav-online").ClickAsync();

        await Expect(_page.Locator("h1")).ToHaveTextAsync("Online scores");
        var row = _page.Locator($"tr[data-name='{_runs.ScoreName}']");
        await Expect(row.Locator("th")).ToHaveTextAsync(DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await Expect(row.Locator("td")).ToHaveTextAsync([SeededEvalRuns.UseCase, _runs.ScoreName, "2", "0.750"]);
    }

    [Fact]
    public async Task Unknown_runs_and_malformed_ids_get_404_and_400_pages_that_say_why()
    {
        var unknown = Guid.NewGuid();
        Assert.Equal(404, (await GoAsync($"/evals/runs/{unknown}", expectOk: false)).Status);
        await Expect(_page.GetByTestId("problem")).ToHaveTextAsync($"No run {unknown}.");
        await Expect(_page.Locator("nav a")).ToHaveTextAsync(["Runs", "Gates", "Online"]);

        Assert.Equal(400, (await GoAsync("/evals/runs/not-a-run", expectOk: false)).Status);
        await Expect(_page.GetByTestId("problem")).ToContainTextAsync("'not-a-run' is not a run id");

        Assert.Equal(400, (await GoAsync($"/evals/compare?baseline={_runs.BaselineRunId}", expectOk: false)).Status);
        await Expect(_page.GetByTestId("problem")).ToContainTextAsync("The candidate run id is missing.");

        Assert.Equal(400, (await GoAsync($"/evals/compare?baseline=x<b>&candidate={_runs.CandidateRunId}", expectOk: false)).Status);
        await Expect(_page.GetByTestId("problem")).ToContainTextAsync("The baseline 'x<b>' is not a run id");

        Assert.Equal(404, (await GoAsync($"/evals/compare?baseline={_runs.BaselineRunId}&candidate={unknown}", expectOk: false)).Status);
        await Expect(_page.GetByTestId("problem")).ToHaveTextAsync($"No candidate run {unknown}.");
    }

    private ILocator RunRow(Guid runId) => _page.Locator($"tr[data-run-id='{runId}']");

    private async Task<IResponse> GoAsync(string path, bool expectOk = true)
    {
        var response = await _page.GotoAsync(path) ?? throw new InvalidOperationException($"no response for {path}");
        if (expectOk)
        {
            Assert.True(response.Ok, $"GET {path} answered {response.Status}: {await response.TextAsync()}");
        }

        Assert.StartsWith("text/html", response.Headers["content-type"], StringComparison.Ordinal);
        return response;
    }

    // Mean of 1.0, 0.2 and 0.9; its interval uses the clustered SE over the two briefs.
    [GeneratedRegex(@"^0\.700 \(95% CI -?\d\.\d{3}–\d\.\d{3}\)$")]
    private static partial Regex MeanScorePattern();

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
