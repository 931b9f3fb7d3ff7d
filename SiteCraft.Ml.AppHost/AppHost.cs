using SiteCraft.Ml.AppHost;
using SiteCraft.Ml.AppHost.Postgres;

var builder = DistributedApplication.CreateBuilder(args);

// postgres → sitecraft, from a container, the machine's PostgreSQL or an external server (Postgres:Mode).
if (!builder.TryAddSiteCraftDatabase(out var db))
{
    return 1;
}

var migrator = builder.AddProject<Projects.SiteCraft_Ml_Migrator>("migrator")
    .WithReference(db)
    .WaitFor(db)
    .WithSiteCraftEnvironment();

db.WithResetCommand(migrator);

var adminToken = builder.AddInferenceAdminToken();

// The services reach the database only after the migrator exits 0 (which implies db is up).
var inference = builder.AddProject<Projects.SiteCraft_Ml_Inference>("inference")
    .WithReference(db)
    .WaitForCompletion(migrator)
    .AsSiteCraftService()
    .WithProviderKeys()
    .WithRoutingAdministration(adminToken);

// Evals call inference through pinned routes with the admin token, which also guards their admin commands.
builder.AddProject<Projects.SiteCraft_Ml_Evals>("evals")
    .WithReference(db)
    .WithReference(inference)
    .WaitForCompletion(migrator)
    .WaitFor(inference)
    .AsSiteCraftService()
    .WithEvalAdministration(adminToken);

builder.AddProject<Projects.SiteCraft_Ml_Contracts>("contracts")
    .WithReference(db)
    .WaitForCompletion(migrator)
    .AsSiteCraftService();

// Started from the dashboard only, and only locally (not deployed): trains the local model and
// registers it as a candidate.
if (builder.ExecutionContext.IsRunMode)
{
    builder.AddTraining(db, migrator);
}

await builder.Build().RunAsync();
return 0;
