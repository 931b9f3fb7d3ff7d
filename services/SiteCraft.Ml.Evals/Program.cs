using SiteCraft.Ml.Catalog;
using SiteCraft.Ml.Evals.Admin;
using SiteCraft.Ml.Evals.Grpc;
using SiteCraft.Ml.Evals.Hosting;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddSiteCraftDatabase();
builder.AddGrpcServiceDefaults();
builder.Services.AddGrpcReflection();
builder.AddEvalServices();

var app = builder.Build();

app.MapGrpcDefaultEndpoints();
app.MapGrpcReflectionService();
app.MapUseCaseCatalog();
app.MapGrpcService<EvalGrpcService>();
app.MapEvalAdmin();
app.MapEvalPages();

app.Run();
