using SiteCraft.Ml.Catalog;
using SiteCraft.Ml.Contracts.Extensions;
using SiteCraft.Ml.Contracts.Grpc;
using SiteCraft.Ml.Contracts.Validation;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddSiteCraftDatabase();
builder.AddGrpcServiceDefaults();
builder.Services.AddGrpcReflection();
await builder.AddContractServicesAsync();

var app = builder.Build();

app.MapGrpcDefaultEndpoints();
app.MapGrpcReflectionService();
app.MapUseCaseCatalog();
app.MapContractValidation();
app.MapGrpcService<ContractsGrpcService>();

app.Run();
