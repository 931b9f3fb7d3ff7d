using System.Globalization;
using SiteCraft.Ml.Evals.Core.Statistics;
using SiteCraft.Ml.Evals.Data.Reports;

namespace SiteCraft.Ml.Evals.Pages;

/// <summary>How numbers, times and targets read on every report page (invariant culture, UTC).</summary>
internal static class ReportFormat
{
    public const string None = "—";

    public static string Percent(double? rate) => rate is { } r ? r.ToString("0.0%", CultureInfo.InvariantCulture) : None;

    public static string Interval(Interval interval) =>
        string.Create(CultureInfo.InvariantCulture, $"95% CI {Percent(interval.Lower)}–{Percent(interval.Upper)}");

    /// <summary>"66.7% (2/3, 95% CI 20.8%–93.9%)": the Wilson interval, or a dash when nothing was judged.</summary>
    public static string PassRate(long passed, long judged)
    {
        if (judged <= 0)
        {
            return None;
        }

        var summary = ProportionSummary.Of(checked((int)passed), checked((int)judged));
        return string.Create(CultureInfo.InvariantCulture, $"{Percent(summary.Rate)} ({passed}/{judged}, {Interval(summary.Wilson95)})");
    }

    public static string Number(double? value, string format = "0.000") =>
        value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : None;

    public static string Count(long? count) => count is { } c ? c.ToString(CultureInfo.InvariantCulture) : None;

    public static string SignedNumber(double value) => value.ToString("+0.000;−0.000;0.000", CultureInfo.InvariantCulture);

    public static string PValue(double p) => p < 0.0001 ? "< 0.0001" : p.ToString("0.0000", CultureInfo.InvariantCulture);

    public static string Latency(double? milliseconds) =>
        milliseconds is { } ms ? string.Create(CultureInfo.InvariantCulture, $"{ms:0} ms") : None;

    public static string Cost(decimal? usd) => usd is { } c ? string.Create(CultureInfo.InvariantCulture, $"${c:0.0000}") : None;

    public static string Time(DateTimeOffset? time) =>
        time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : None;

    /// <summary>The round-trip form used in ?before= links.</summary>
    public static string Cursor(DateTimeOffset time) => time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    public static string Target(RunSummary run) => (run.TargetProvider, run.TargetModel, run.TargetPolicyVersion) switch
    {
        ({ } provider, { } model, _) => $"{provider}/{model}",
        (_, _, { } version) => string.Create(CultureInfo.InvariantCulture, $"policy v{version}"),
        ({ } provider, null, _) => provider,
        _ => None,
    };

    public static string Run(RunSummary run) => $"{run.SuiteId ?? run.UseCase} · {Target(run)} · {Time(run.CreatedAt)}";

    public static string Short(Guid runId) => runId.ToString("N")[..8];
}
