namespace Flywheel.Evals.Runs;

/// <summary>The Wilson score interval: an honest range for a pass rate measured on few rows.</summary>
public static class WilsonInterval
{
    private const double Z95 = 1.959963984540054;

    /// <summary>The 95% interval of <paramref name="passed"/> out of <paramref name="total"/>; null for an empty cohort.</summary>
    public static IReadOnlyList<double>? Of(int passed, int total)
    {
        if (total <= 0)
        {
            return null;
        }

        var p = (double)passed / total;
        var z2 = Z95 * Z95;
        var denominator = 1 + (z2 / total);
        var center = (p + (z2 / (2 * total))) / denominator;
        var margin = Z95 * Math.Sqrt((p * (1 - p) / total) + (z2 / (4.0 * total * total))) / denominator;
        return [Math.Round(Math.Max(0, center - margin), 4), Math.Round(Math.Min(1, center + margin), 4)];
    }
}
