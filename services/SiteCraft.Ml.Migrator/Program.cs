using SiteCraft.Ml.Migrator;

var builder = Host.CreateApplicationBuilder(args);

builder.AddServiceDefaults();
builder.AddSiteCraftDatabase();
builder.AddMigrations();

using var host = builder.Build();
return await host.RunMigrationsAsync();
