using SiteCraft.Ml.Catalog;
using SiteCraft.Ml.Inference.Admin;
using SiteCraft.Ml.Inference.Extensions;
using SiteCraft.Ml.Inference.Grpc;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddSiteCraftDatabase();
builder.AddGrpcServiceDefaults();
builder.Services.AddGrpcReflection();
builder.AddInferenceServices();

var app = builder.Build();

app.MapGrpcDefaultEndpoints();
app.MapGrpcReflectionService();
app.MapGrpcService<GenerationService>();
app.MapUseCaseCatalog();
app.MapRoutingAdmin();

app.Run();
