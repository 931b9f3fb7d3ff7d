using System.Globalization;
using Microsoft.Extensions.Options;
using SiteCraft.Ml.Catalog;
using SiteCraft.Ml.Inference.Generation;
using SiteCraft.Ml.Inference.Providers;
using SiteCraft.Ml.Inference.Routing;

namespace SiteCraft.Ml.Inference.Admin;

/// <summary>
/// Routing administration over HTTP/1.1 JSON (curl-able, and what the dashboard commands call):
/// read, publish, canary share, promote, roll back, explain. Every route needs the admin token.
/// </summary>
public static class RoutingAdminEndpoints
{
    public static IEndpointRouteBuilder MapRoutingAdmin(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin/routing").AddEndpointFilter(RequireAdminToken);

        admin.MapGet("/{environment}/{useCase}", async (string environment, string useCase, PolicyStore store, CancellationToken ct) =>
            await Handle(async () =>
            {
                var history = await store.HistoryAsync(environment, useCase, ct);
                return TypedResults.Ok(new PolicyHistoryDto(
                    PolicyDto.From(history.Active.Policy, history.Active.Comment, history.Active.CreatedBy, history.Active.CreatedAt),
                    history.PreviousPolicyId,
                    [.. history.Versions.Select(v => PolicyDto.From(v.Policy, v.Comment, v.CreatedBy, v.CreatedAt))]));
            }));

        admin.MapPost("/{environment}/{useCase}/policies", async (string environment, string useCase, PublishPolicyRequest body, HttpContext http, PolicyStore store, CancellationToken ct) =>
            await Handle(async () =>
            {
                CheckUseCase(useCase);
                PolicyDraft draft;
                try
                {
                    draft = new PolicyDraft(
                        PolicyJson.ParseArms(body.Arms.GetRawText()),
                        body.Fallback is { } fallback ? PolicyJson.ParseFallback(fallback.GetRawText()) : [],
                        body.Settings is { } settings ? PolicyJson.ParseSettings(settings.GetRawText()) : PolicySettings.Default,
                        body.Salt);
                }
                catch (FormatException exception)
                {
                    throw new PolicyChangeException(PolicyChangeError.Invalid, exception.Message, [new FieldViolation("body", exception.Message)]);
                }

                var policy = await store.PublishAsync(environment, useCase, draft, "publish", ActorOf(http), body.Comment, ct);
                return TypedResults.Created($"/admin/routing/{environment}/{useCase}", PolicyDto.From(policy, body.Comment));
            }));

        admin.MapPost("/{environment}/{useCase}/canary", async (string environment, string useCase, CanaryShareRequest body, HttpContext http, PolicyStore store, CancellationToken ct) =>
            await Handle(async () => TypedResults.Ok(PolicyDto.From(await store.SetCanaryShareAsync(environment, useCase, body.SharePercent, ActorOf(http), ct)))));

        admin.MapPost("/{environment}/{useCase}/promote", async (string environment, string useCase, HttpContext http, PolicyStore store, CancellationToken ct) =>
            await Handle(async () => TypedResults.Ok(PolicyDto.From(await store.PromoteAsync(environment, useCase, ActorOf(http), ct)))));

        admin.MapPost("/{environment}/{useCase}/rollback", async (string environment, string useCase, RollbackRequest? body, HttpContext http, PolicyStore store, GenerationMetrics metrics, CancellationToken ct) =>
            await Handle(async () =>
            {
                var policy = await store.RollbackAsync(environment, useCase, ActorOf(http), body?.Reason ?? "manual rollback", automatic: false, ct);
                metrics.Rollback(environment, useCase, automatic: false);
                return TypedResults.Ok(PolicyDto.From(policy));
            }));

        admin.MapPost("/explain", (ExplainRequest body, RoutingCache cache, RoutePlanner planner, ProviderRegistry registry, ServedEnvironments environments, IOptions<InferenceOptions> options) =>
        {
            var environment = string.IsNullOrEmpty(body.Environment) ? environments.Default : body.Environment;
            var route = new RouteRequest(
                environment,
                body.UseCase,
                body.TenantId,
                body.SiteId,
                body.SessionId ?? "explain",
                null,
                body.AllowFallback ?? true,
                body.MaxCostUsd,
                ((body.PromptChars ?? 0) + 3) / 4,
                body.MaxTokens ?? options.Value.DefaultMaxTokens);
            var plan = planner.Plan(cache.Current, route);
            return TypedResults.Ok(new ExplainResponse(
                environment,
                body.UseCase,
                plan.Policy?.Policy.Version,
                plan.SubjectHash.ToString("x16", CultureInfo.InvariantCulture),
                [.. plan.Attempts.Select(a => new ExplainAttempt(a.Target.Provider, a.Target.Model, a.Arm,
                    registry.CircuitOf(environment, a.Target.Provider).ToString().ToLowerInvariant()))],
                [.. plan.Skipped.Select(s => new ExplainSkip(s.Target.Provider, s.Target.Model, s.Arm, s.Reason))],
                plan.Policy is null ? $"no active routing policy for {environment}/{body.UseCase}" : plan.Explain()));
        });

        // Dashboard commands: act on every use case of the default environment at once.
        admin.MapPost("/commands/promote-canaries", async (HttpContext http, RoutingCache cache, ServedEnvironments environments, PolicyStore store, CancellationToken ct) =>
            TypedResults.Ok(await ForEachUseCaseAsync(cache, environments.Default, p => p.Policy.HasCanary,
                useCase => store.PromoteAsync(environments.Default, useCase, ActorOf(http, "dashboard"), ct))));

        admin.MapPost("/commands/roll-back", async (HttpContext http, RoutingCache cache, ServedEnvironments environments, PolicyStore store, GenerationMetrics metrics, CancellationToken ct) =>
            TypedResults.Ok(await ForEachUseCaseAsync(cache, environments.Default, p => p.PreviousPolicyId is not null || p.Policy.HasCanary,
                async useCase =>
                {
                    var policy = await store.RollbackAsync(environments.Default, useCase, ActorOf(http, "dashboard"), "rolled back from the dashboard", automatic: false, ct);
                    metrics.Rollback(environments.Default, useCase, automatic: false);
                    return policy;
                })));

        return app;
    }

    private static async ValueTask<object?> RequireAdminToken(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var token = context.HttpContext.RequestServices.GetRequiredService<AdminToken>();
        if (!token.IsConfigured)
        {
            return TypedResults.Problem("Routing administration is off: set Inference:AdminToken.", statusCode: StatusCodes.Status403Forbidden);
        }

        return token.IsValid(context.HttpContext.Request.Headers.Authorization.ToString())
            ? await next(context)
            : TypedResults.Problem("Missing or wrong admin token (Authorization: Bearer <Inference:AdminToken>).", statusCode: StatusCodes.Status401Unauthorized);
    }

    private static async Task<IResult> Handle<T>(Func<Task<T>> action)
        where T : IResult
    {
        try
        {
            return await action();
        }
        catch (PolicyChangeException exception)
        {
            return exception.Error switch
            {
                PolicyChangeError.Invalid => TypedResults.ValidationProblem(
                    exception.Violations.GroupBy(v => v.Field).ToDictionary(g => g.Key, g => g.Select(v => v.Description).ToArray()),
                    detail: exception.Message),
                PolicyChangeError.NotFound => TypedResults.Problem(exception.Message, statusCode: StatusCodes.Status404NotFound),
                PolicyChangeError.GateMissing => TypedResults.Problem(exception.Message, statusCode: StatusCodes.Status409Conflict, title: "Eval gate missing"),
                _ => TypedResults.Problem(exception.Message, statusCode: StatusCodes.Status409Conflict),
            };
        }
    }

    private static void CheckUseCase(string useCase)
    {
        if (!UseCaseCatalog.TryGet(useCase, out _))
        {
            throw new PolicyChangeException(PolicyChangeError.Invalid, $"unknown use case '{useCase}'",
                [new FieldViolation("use_case", $"unknown use case '{useCase}'; one of {string.Join(", ", UseCaseCatalog.Ids)}")]);
        }
    }

    private static async Task<CommandResult> ForEachUseCaseAsync(
        RoutingCache cache, string environment, Func<ActivePolicy, bool> applies, Func<string, Task<RoutingPolicy>> change)
    {
        var changed = new List<string>();
        var skipped = new List<string>();
        foreach (var active in cache.Current.Policies.Values.Where(p => p.Policy.Environment == environment).OrderBy(p => p.Policy.UseCase, StringComparer.Ordinal))
        {
            if (!applies(active))
            {
                skipped.Add($"{active.Policy.UseCase}: nothing to do");
                continue;
            }

            try
            {
                var policy = await change(active.Policy.UseCase);
                changed.Add($"{active.Policy.UseCase}: now v{policy.Version}");
            }
            catch (PolicyChangeException exception)
            {
                skipped.Add($"{active.Policy.UseCase}: {exception.Message}");
            }
        }

        return new CommandResult(changed, skipped);
    }

    private static string ActorOf(HttpContext http, string fallback = "admin-api") =>
        http.Request.Headers["X-SiteCraft-Actor"].ToString() is { Length: > 0 and <= 100 } actor ? actor : fallback;
}
