namespace SiteCraft.Ml.Evals.Core.Statistics;

/// <summary>The standard normal distribution: what the CLT intervals, p-values and effect sizes rest on.</summary>
public static class Normal
{
    /// <summary>z for a two-sided 95% interval.</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>z for 80% power.</summary>
    public const double Z80 = 0.8416212335729143;

    /// <summary>P(Z ≤ z).</summary>
    public static double Cdf(double z) => 0.5 * Erfc(-z / Math.Sqrt(2));

    /// <summary>Two-sided p-value of a z statistic: P(|Z| ≥ |z|).</summary>
    public static double TwoSidedP(double z) => Erfc(Math.Abs(z) / Math.Sqrt(2));

    /// <summary>
    /// The complementary error function, with relative error below 1.2e-7 everywhere
    /// (Numerical Recipes' Chebyshev fit, after W. J. Cody): plenty for p-values quoted to 4 places.
    /// </summary>
    public static double Erfc(double x)
    {
        var z = Math.Abs(x);
        var t = 1.0 / (1.0 + (0.5 * z));
        var r = t * Math.Exp(
            -(z * z) - 1.26551223
            + (t * (1.00002368
            + (t * (0.37409196
            + (t * (0.09678418
            + (t * (-0.18628806
            + (t * (0.27886807
            + (t * (-1.13520398
            + (t * (1.48851587
            + (t * (-0.82215223
            + (t * 0.17087277))))))))))))))))));
        return x >= 0 ? r : 2.0 - r;
    }
}
