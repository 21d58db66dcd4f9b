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
        char decimalSeparator = decimalComma ? ',' : '.';
        char groupSeparator = decimalComma ? '.' : ',';

        // A lone separator followed by exactly three digits ("1,234" or "1.234") is a thousands separator in the
        // locale's convention; any other single separator is a decimal point whichever symbol it is.
        var separators = digits.Count(c => c is ',' or '.');
        string normalized;
        if (separators == 1)
        {
            var index = digits.IndexOfAny([',', '.']);
            var after = digits.Length - index - 1;
            var symbol = digits[index];
            var isGroup = symbol == groupSeparator && after == 3;
            normalized = isGroup ? digits.Remove(index, 1) : digits.Remove(index, 1).Insert(index, ".");
        }
        else
        {
            var lastDecimal = digits.LastIndexOf(decimalSeparator);
            var lastGroup = digits.LastIndexOf(groupSeparator);
            var builder = new System.Text.StringBuilder(digits.Length);
            for (var i = 0; i < digits.Length; i++)
            {
                var c = digits[i];
                if (char.IsDigit(c))
                {
                    builder.Append(c);
                }
                else if (c == decimalSeparator && i == lastDecimal && lastDecimal > lastGroup)
                {
                    builder.Append('.');
                }
            }

            normalized = builder.ToString();
        }

        normalized = new string(normalized.Where(c => char.IsDigit(c) || c == '.').ToArray());
        var ok = decimal.TryParse(normalized, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);
        if (ok && negative)
        {
            value = -value;
        }

        return ok;
    }

    // Digits with optional group separators (comma, dot, no-break or thin spaces, apostrophe) and a decimal part.
    [GeneratedRegex(@"(?<![\p{L}\p{N}])[-+\u2212]?\d+(?:[,.\u00A0\u202F']\d+)*", RegexOptions.CultureInvariant)]
    private static partial Regex NumberPattern();
}
