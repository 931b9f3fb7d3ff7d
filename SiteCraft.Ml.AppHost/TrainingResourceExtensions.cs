namespace SiteCraft.Ml.AppHost;

public static class TrainingResourceExtensions
{
    public const string OutputSetting = "Training:Output";

    /// <summary>
    /// The training program as a resource that starts only when asked (the dashboard's start
    /// button): a full run on the synthetic corpus, about half an hour on 2 cores, registered in
    /// ai_model_artifacts as candidate sitecraft-base@dev. Promote it with
    /// <c>sitecraft-train register --artifact DIR --version dev --activate</c>. The artifact goes to
    /// Training:Output (default: the user's local data folder), outside the repository.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddTraining(
        this IDistributedApplicationBuilder builder,
        IResourceBuilder<IResourceWithConnectionString> db,
        IResourceBuilder<ProjectResource> migrator)
    {
        var output = builder.Configuration[OutputSetting]
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "sitecraft-ml", "models", "sitecraft-base", "dev");
        return builder.AddProject<Projects.SiteCraft_Ml_Training>("training")
            .WithArgs("train", "--out", output, "--version", "dev", "--resume", "--register")
            .WithReference(db)
            .WaitForCompletion(migrator)
            .WithExplicitStart();
    }
}
