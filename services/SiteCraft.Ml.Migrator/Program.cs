using SiteCraft.Ml.Migrator;
using SiteCraft.Ml.Migrator.Migrations;

var builder = Host.CreateApplicationBuilder(args);

builder.AddServiceDefaults();
builder.AddNpgsqlDataSource(SiteCraftDatabase.ConnectionName, configureDataSourceBuilder: MigrationRunner.Configure);
builder.AddMigrations();

using var host = builder.Build();
return await host.RunMigrationsAsync();
