using System.Globalization;
using SiteCraft.Ml.Evals.Data;
using SiteCraft.Ml.Evals.Hosting;

namespace SiteCraft.Ml.Evals.Admin;

/// <summary>Admin commands over HTTP (the dashboard's "Run nightly suites now"), behind the admin token.</summary>
public static class EvalAdminEndpoints
{
    public static IEndpointRouteBuilder MapEvalAdmin(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin/evals").AddEndpointFilter(RequireAdminToken);
        admin.MapPost("/commands/run-nightly", async (HttpContext http, NightlyRuns nightly, RunSignal queue, TimeProvider time, CancellationToken cancellationToken) =>
        {
            var actor = http.Request.Headers["X-SiteCraft-Actor"].FirstOrDefault() ?? "admin";
            var slot = $"manual:{time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture)}";
            var runs = await nightly.StartAsync(slot, actor, cancellationToken);
            queue.Signal();
            return TypedResults.Ok(new { slot, run_ids = runs.Select(r => r.ToString()).ToArray() });
        });
        return app;
    }

    private static async ValueTask<object?> RequireAdminToken(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var token = context.HttpContext.RequestServices.GetRequiredService<EvalAdminToken>();
        if (!token.IsConfigured)
        {
            return TypedResults.Problem("Eval administration is off: set Inference:AdminToken.", statusCode: StatusCodes.Status403Forbidden);
        }

        return token.Matches(context.HttpContext.Request.Headers.Authorization.ToString())
            ? await next(context)
            : TypedResults.Problem("Missing or wrong admin token (Authorization: Bearer <Inference:AdminToken>).", statusCode: StatusCodes.Status401Unauthorized);
    }
}
