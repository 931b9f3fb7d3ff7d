using SiteCraft.Ml.Evals.Core.Statistics;

namespace SiteCraft.Ml.Evals.Core.Runs;

/// <summary>A candidate run against its baseline on the cases both judged.</summary>
/// <param name="Paired">The paired comparison of per-case mean scores (candidate − baseline).</param>
/// <param name="Cases">Per-case differences, largest |difference| first.</param>
/// <param name="Regressions">Cases that scored lower in the candidate.</param>
/// <param name="Improvements">Cases that scored higher in the candidate.</param>
/// <param name="BaselineOnly">Cases judged only in the baseline, left out of the pairs.</param>
/// <param name="CandidateOnly">Cases judged only in the candidate, left out of the pairs.</param>
/// <param name="BaselinePassRate">The baseline's pass rate over all its judged samples.</param>
/// <param name="CandidatePassRate">The candidate's pass rate over all its judged samples.</param>
public sealed record RunComparison(
    PairedComparison Paired,
    IReadOnlyList<CaseDifference> Cases,
    int Regressions,
    int Improvements,
    int BaselineOnly,
    int CandidateOnly,
    ProportionSummary BaselinePassRate,
    ProportionSummary CandidatePassRate);
