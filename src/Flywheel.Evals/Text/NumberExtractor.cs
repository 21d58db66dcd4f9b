using System.Globalization;
using System.Text.RegularExpressions;

namespace Flywheel.Evals.Text;

/// <summary>Finds the numbers in a text, reading thousands and decimal separators the way the row's locale writes them.</summary>
public static partial class NumberExtractor
{
    /// <summary>The numbers of a text, in order. <paramref name="locale"/> (e.g. de-DE) decides whether "1.234,5" is 1234.5.</summary>
    public static IReadOnlyList<ExtractedNumber> Extract(string? text, string? locale = null)
    {
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }

        var decimalComma = UsesDecimalComma(locale);
        var numbers = new List<ExtractedNumber>();
        foreach (Match match in NumberPattern().Matches(text))
        {
            if (TryParse(match.Value, decimalComma, out var value))
            {
                numbers.Add(new ExtractedNumber(match.Value, value));
            }
        }

        return numbers;
    }

    /// <summary>True when <paramref name="actual"/> is within <paramref name="relativeTolerance"/> of <paramref name="expected"/>.</summary>
    public static bool Close(decimal expected, decimal actual, double relativeTolerance)
    {
        if (expected == actual)
        {
            return true;
        }

        var scale = Math.Max(Math.Abs((double)expected), Math.Abs((double)actual));
        return Math.Abs((double)(expected - actual)) <= relativeTolerance * scale;
    }

    private static bool UsesDecimalComma(string? locale)
    {
        if (string.IsNullOrWhiteSpace(locale))
        {
            return false;
        }

        try
        {
            return CultureInfo.GetCultureInfo(locale).NumberFormat.NumberDecimalSeparator == ",";
        }
        catch (CultureNotFoundException)
        {
            return false;
        }
    }

    private static bool TryParse(string raw, bool decimalComma, out decimal value)
    {
        var negative = raw.StartsWith('-') || raw.StartsWith('\u2212');
        var digits = raw.TrimStart('-', '+', '\u2212');
        var decimalIndex = DecimalSeparatorIndex(digits, decimalComma);
        var builder = new System.Text.StringBuilder(digits.Length);
        for (var i = 0; i < digits.Length; i++)
        {
            if (char.IsDigit(digits[i]))
            {
                builder.Append(digits[i]);
            }
            else if (i == decimalIndex)
            {
                builder.Append('.');
            }
        }

        var ok = decimal.TryParse(builder.ToString(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);
        if (ok && negative)
        {
            value = -value;
        }

        return ok;
    }

    // Where the decimal separator is, or -1. Only a lone separator followed by exactly three digits depends on the locale;
    // every other form says for itself which symbol groups thousands.
    private static int DecimalSeparatorIndex(string digits, bool decimalComma)
    {
        var commas = digits.Count(c => c == ',');
        var dots = digits.Count(c => c == '.');
        var last = digits.LastIndexOfAny([',', '.']);
        if (last < 0)
        {
            return -1;
        }

        var symbol = digits[last];
        var sameSymbol = symbol == ',' ? commas : dots;
        if (sameSymbol > 1)
        {
            // A decimal separator occurs at most once: "1.234.567" and "1,234,567" are grouped thousands in any locale.
            return -1;
        }

        if (commas > 0 && dots > 0)
        {
            // Both symbols: the last one is the decimal point ("182.410,22" and "182,410.22" read the same everywhere).
            return last;
        }

        // A lone separator followed by exactly three digits ("1,234" or "1.234") groups thousands in the locale's
        // convention; any other lone separator is a decimal point whichever symbol it is.
        var groupSymbol = decimalComma ? '.' : ',';
        var groupsThousands = symbol == groupSymbol && digits.Length - last - 1 == 3;
        return groupsThousands ? -1 : last;
    }

    // Digits with optional group separators (comma, dot, no-break or thin spaces, apostrophe) and a decimal part. A plain
    // space groups thousands only in the strict form "1 234 567" (groups of exactly three digits), so "Nov 30 2025" stays apart.
    [GeneratedRegex(@"(?<![\p{L}\p{N}])[-+\u2212]?(?:\d{1,3}(?: \d{3})+(?!\d)|\d+)(?:[,.\u00A0\u202F']\d+)*", RegexOptions.CultureInvariant)]
    private static partial Regex NumberPattern();
}
