using System.CommandLine;

namespace SiteCraft.Ml.Benchmarks;

/// <summary>Checks on option values shared by the benchmark commands, reported by System.CommandLine as parse errors.</summary>
public static class OptionRules
{
    public static Option<int> Positive(this Option<int> option)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError($"{option.Name} must be at least 1");
            }
        });
        return option;
    }

    public static Option<int> NonNegative(this Option<int> option)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 0)
            {
                result.AddError($"{option.Name} must be at least 0");
            }
        });
        return option;
    }
}
