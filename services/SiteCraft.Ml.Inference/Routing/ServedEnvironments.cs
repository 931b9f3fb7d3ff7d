namespace SiteCraft.Ml.Inference.Routing;

/// <summary>Which environments this replica serves and which of them require eval gates.</summary>
public sealed class ServedEnvironments
{
    private readonly EnvironmentPatterns _served;
    private readonly EnvironmentPatterns _gated;

    public ServedEnvironments(RoutingOptions options, string ownEnvironment)
    {
        var configured = options.Environments.Where(e => !string.IsNullOrWhiteSpace(e)).Select(e => e.Trim()).ToList();
        if (configured.Count == 0)
        {
            // single_db keeps staging and prod in one database; one replica serves both.
            configured = ownEnvironment == "single_db" ? ["staging", "prod"] : [ownEnvironment];
        }

        Default = configured.FirstOrDefault(e => !e.EndsWith('*')) ?? ownEnvironment;
        _served = new EnvironmentPatterns(configured);
        _gated = new EnvironmentPatterns(options.GatedEnvironments);
        Description = string.Join(", ", configured);
    }

    /// <summary>The environment of a request that names none.</summary>
    public string Default { get; }

    /// <summary>The configured list as text, for error messages.</summary>
    public string Description { get; }

    public bool Serves(string environment) => _served.Matches(environment);

    public bool RequiresGates(string environment) => _gated.Matches(environment);
}
