using System.Globalization;

namespace SiteCraft.Ml.Inference.Routing;

/// <summary>Judges a policy draft before it is published and reports every problem at once, each with its field.</summary>
public static class PolicyValidator
{
    private static readonly TimeSpan s_minDuration = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan s_maxDuration = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan s_minWindow = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_maxWindow = TimeSpan.FromDays(1);

    /// <param name="draft">The draft to judge.</param>
    /// <param name="isKnownModel">Whether a (provider, model) pair exists in ai_models.</param>
    public static IReadOnlyList<FieldViolation> Validate(PolicyDraft draft, Func<string, string, bool> isKnownModel)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(isKnownModel);

        var violations = new List<FieldViolation>();
        ValidateArms(draft.Arms ?? [], isKnownModel, violations);
        ValidateFallback(draft.Fallback ?? [], isKnownModel, violations);
        if (draft.Settings is null)
        {
            violations.Add(new("settings", "settings are required"));
        }
        else
        {
            ValidateSettings(draft.Settings, violations);
        }

        return violations;
    }

    private static void ValidateArms(IReadOnlyList<PolicyArm> arms, Func<string, string, bool> isKnownModel, List<FieldViolation> violations)
    {
        if (arms.Count == 0)
        {
            violations.Add(new("arms", "at least one arm is required"));
            return;
        }

        var anyWeighted = false;
        var anyStableWeighted = false;
        var seen = new Dictionary<(string, string), int>();
        for (var i = 0; i < arms.Count; i++)
        {
            var field = $"arms[{i}]";
            var arm = arms[i];
            if (arm is null)
            {
                violations.Add(new(field, "arm is missing"));
                continue;
            }

            var named = ValidateTarget(arm.Provider, arm.Model, field, isKnownModel, violations);
            if (!double.IsFinite(arm.Weight) || arm.Weight < 0)
            {
                violations.Add(new($"{field}.weight", $"weight must be a finite number >= 0, not {Format(arm.Weight)}"));
            }
            else if (arm.Weight > 0)
            {
                anyWeighted = true;
                anyStableWeighted |= arm.Role == ArmRole.Stable;
            }

            if (!Enum.IsDefined(arm.Role))
            {
                violations.Add(new($"{field}.role", $"role must be stable or canary, not {(int)arm.Role}"));
            }

            if (named && !seen.TryAdd((arm.Provider, arm.Model), i))
            {
                violations.Add(new(field, $"duplicate of arms[{seen[(arm.Provider, arm.Model)]}] ({arm.Provider}/{arm.Model})"));
            }
        }

        if (!anyWeighted)
        {
            violations.Add(new("arms", "at least one arm needs a weight above 0"));
        }

        if (!anyStableWeighted)
        {
            violations.Add(new("arms", "at least one stable arm needs a weight above 0"));
        }
    }

    private static void ValidateFallback(IReadOnlyList<RouteTarget> fallback, Func<string, string, bool> isKnownModel, List<FieldViolation> violations)
    {
        var seen = new Dictionary<(string, string), int>();
        for (var i = 0; i < fallback.Count; i++)
        {
            var field = $"fallback[{i}]";
            var target = fallback[i];
            if (target is null)
            {
                violations.Add(new(field, "fallback entry is missing"));
                continue;
            }

            if (ValidateTarget(target.Provider, target.Model, field, isKnownModel, violations)
                && !seen.TryAdd((target.Provider, target.Model), i))
            {
                violations.Add(new(field, $"duplicate of fallback[{seen[(target.Provider, target.Model)]}] ({target})"));
            }
        }
    }

    /// <returns>Whether provider and model are both given (so duplicates can be judged).</returns>
    private static bool ValidateTarget(string provider, string model, string field, Func<string, string, bool> isKnownModel, List<FieldViolation> violations)
    {
        var hasProvider = !string.IsNullOrWhiteSpace(provider);
        var hasModel = !string.IsNullOrWhiteSpace(model);
        if (!hasProvider)
        {
            violations.Add(new($"{field}.provider", "provider is required"));
        }

        if (!hasModel)
        {
            violations.Add(new($"{field}.model", "model is required"));
        }

        if (hasProvider && hasModel && !isKnownModel(provider, model))
        {
            violations.Add(new($"{field}.model", $"unknown model {provider}/{model}"));
        }

        return hasProvider && hasModel;
    }

    private static void ValidateSettings(PolicySettings settings, List<FieldViolation> violations)
    {
        RequireDuration(settings.AttemptTimeout, s_minDuration, s_maxDuration, "settings.attempt_timeout_ms", violations);

        if (settings.Guardrails is not { } guardrails)
        {
            violations.Add(new("settings.guardrails", "guardrails are required"));
        }
        else
        {
            if (guardrails.MinSamples < 1)
            {
                violations.Add(new("settings.guardrails.min_samples", $"must be at least 1, not {guardrails.MinSamples}"));
            }

            if (!(guardrails.MaxErrorRateDelta is >= 0 and <= 1))
            {
                violations.Add(new("settings.guardrails.max_error_rate_delta", $"must be between 0 and 1, not {Format(guardrails.MaxErrorRateDelta)}"));
            }

            if (!(guardrails.MaxP95LatencyRatio >= 1) || double.IsInfinity(guardrails.MaxP95LatencyRatio))
            {
                violations.Add(new("settings.guardrails.max_p95_latency_ratio", $"must be a finite number >= 1, not {Format(guardrails.MaxP95LatencyRatio)}"));
            }

            RequireDuration(guardrails.Window, s_minWindow, s_maxWindow, "settings.guardrails.window_seconds", violations);
        }

        if (settings.Breaker is not { } breaker)
        {
            violations.Add(new("settings.breaker", "breaker settings are required"));
        }
        else
        {
            if (breaker.FailureThreshold < 1)
            {
                violations.Add(new("settings.breaker.failure_threshold", $"must be at least 1, not {breaker.FailureThreshold}"));
            }

            RequireDuration(breaker.BreakDuration, s_minDuration, s_maxDuration, "settings.breaker.break_duration_ms", violations);
        }
    }

    private static void RequireDuration(TimeSpan value, TimeSpan min, TimeSpan max, string field, List<FieldViolation> violations)
    {
        if (value < min || value > max)
        {
            violations.Add(new(field, $"must be between {Format(min)} and {Format(max)}, not {Format(value)}"));
        }
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Format(TimeSpan value) => value.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + " ms";
}
