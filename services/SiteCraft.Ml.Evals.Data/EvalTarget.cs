namespace SiteCraft.Ml.Evals.Data;

/// <summary>
/// What a run measures: a provider and model called through a pinned route, or (both null) the
/// routing policy of <see cref="Environment"/> for the suite's use case.
/// </summary>
/// <param name="Environment">The routing environment whose provider settings (and policy) answer.</param>
/// <param name="Provider">The pinned provider, or null for the policy.</param>
/// <param name="Model">The pinned model, or null for the policy.</param>
public sealed record EvalTarget(string Environment, string? Provider, string? Model)
{
    public bool IsPinned => Provider is not null;

    /// <summary>"sitecraft-local/sitecraft-base@1 in development", or "the development policy".</summary>
    public override string ToString() => IsPinned ? $"{Provider}/{Model} in {Environment}" : $"the {Environment} routing policy";

    /// <summary>A target from optional provider and model; one without the other is a usage error.</summary>
    public static EvalTarget Create(string environment, string? provider, string? model)
    {
        provider = string.IsNullOrWhiteSpace(provider) ? null : provider.Trim();
        model = string.IsNullOrWhiteSpace(model) ? null : model.Trim();
        if ((provider is null) != (model is null))
        {
            throw new EvalRequestException(provider is null ? "provider" : "model", "a pinned target needs both a provider and a model");
        }

        if (string.IsNullOrWhiteSpace(environment))
        {
            throw new EvalRequestException("environment", "is required");
        }

        return new EvalTarget(environment.Trim(), provider, model);
    }
}
