using SiteCraft.Ml.Catalog;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddSiteCraftDatabase();
builder.AddGrpcServiceDefaults();
builder.Services.AddGrpcReflection();

var app = builder.Build();

app.MapGrpcDefaultEndpoints();
app.MapGrpcReflectionService();
app.MapUseCaseCatalog();
app.MapEvalPages();

app.Run();
