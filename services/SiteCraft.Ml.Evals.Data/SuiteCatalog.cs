using SiteCraft.Ml.Evals.Core.Suites;

namespace SiteCraft.Ml.Evals.Data;

/// <summary>
/// The suites as files (docs/evals/suites, shipped beside the service and the CLI). A bad file is
/// reported in <see cref="Errors"/> and the others still load. Runs look suites up here by id and
/// content hash, so a run resumed after the file changed fails with that reason instead of
/// silently scoring different cases.
/// </summary>
public sealed class SuiteCatalog
{
    private readonly Dictionary<string, SuiteDefinition> _byId;

    public SuiteCatalog(string folder, SuiteLoadResult loaded)
    {
        Folder = folder;
        Suites = loaded.Suites;
        Errors = loaded.Errors.Select(e => e.Message).ToList();
        _byId = loaded.Suites.ToDictionary(s => s.SuiteId, StringComparer.Ordinal);
    }

    /// <summary>Where the suites shipped with this program live.</summary>
    public static string DefaultFolder => Path.Combine(AppContext.BaseDirectory, "evals", "suites");

    public string Folder { get; }

    public IReadOnlyList<SuiteDefinition> Suites { get; }

    /// <summary>"file:line: reason" for every file that failed to load.</summary>
    public IReadOnlyList<string> Errors { get; }

    public static SuiteCatalog Load(string? folder = null)
    {
        folder ??= DefaultFolder;
        if (!Directory.Exists(folder))
        {
            throw new EvalRequestException("suites", $"the suites folder {folder} does not exist");
        }

        return new SuiteCatalog(folder, SuiteLoader.LoadDirectory(folder));
    }

    /// <summary>The suite with this id; a clear error naming the known ids otherwise.</summary>
    public SuiteDefinition Get(string suiteId) =>
        _byId.TryGetValue(suiteId, out var suite)
            ? suite
            : throw new EvalRequestException("suite_id",
                $"no suite '{suiteId}' in {Folder} (known: {string.Join(", ", _byId.Keys.Order(StringComparer.Ordinal))})"
                + (Errors.Count > 0 ? $"; files that failed to load: {string.Join("; ", Errors)}" : ""),
                EvalRequestError.NotFound);

    /// <summary>The suite exactly as a run used it, or null when the file has changed since.</summary>
    public SuiteDefinition? Find(string suiteId, string contentHash) =>
        _byId.TryGetValue(suiteId, out var suite) && suite.ContentHash == contentHash ? suite : null;

    /// <summary>The first suite of a use case (online evals take its reference-free assertions).</summary>
    public SuiteDefinition? ForUseCase(string useCase) =>
        Suites.Where(s => s.UseCase == useCase).OrderBy(s => s.SuiteId, StringComparer.Ordinal).FirstOrDefault();
}
