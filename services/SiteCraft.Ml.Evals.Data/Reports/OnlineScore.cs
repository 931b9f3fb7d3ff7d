namespace SiteCraft.Ml.Evals.Data.Reports;

/// <summary>One row of ai_eval_online_summary.</summary>
public sealed record OnlineScore(DateOnly Day, string UseCase, string Name, long Count, double? Average);
