namespace SiteCraft.Ml.AppHost;

public static class EvalsResourceExtensions
{
    /// <summary>The admin token (pinned inference routes, admin endpoints) and the dashboard's "Run nightly suites now".</summary>
    public static IResourceBuilder<ProjectResource> WithEvalAdministration(
        this IResourceBuilder<ProjectResource> evals, IResourceBuilder<ParameterResource> adminToken)
    {
        evals.WithEnvironment("Inference__AdminToken", adminToken);
        evals.WithHttpCommand(
            "/admin/evals/commands/run-nightly",
            "Run nightly suites now",
            endpointName: "http",
            commandName: "run-nightly-evals",
            commandOptions: InferenceResourceExtensions.AdminCommand(
                adminToken, "Starts the nightly eval suites now (Evals:Nightly), whatever the schedule.", "BeakerEdit", confirm: false));
        return evals;
    }
}
