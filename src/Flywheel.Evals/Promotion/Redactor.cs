using System.Numerics;
using System.Text.RegularExpressions;

namespace Flywheel.Evals.Promotion;

/// <summary>Removes personal data from text before it is written anywhere: IBANs, card numbers (Luhn-checked), emails, phone numbers and the suite's own patterns.</summary>
public sealed partial class Redactor
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);
    private readonly IReadOnlyList<Regex> _custom;

    /// <summary>Creates a redactor with extra patterns (from the suite's <c>redact</c> list).</summary>
    /// <exception cref="ArgumentException">A pattern is not a valid regular expression.</exception>
    public Redactor(IEnumerable<string>? extraPatterns = null)
    {
        _custom = (extraPatterns ?? []).Select(p => new Regex(p, RegexOptions.CultureInvariant, Timeout)).ToList();
    }

    /// <summary>The text with every match replaced by a placeholder ([IBAN], [CARD], [EMAIL], [PHONE], [REDACTED]).</summary>
    public string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        // Order matters: an IBAN or card number contains digit runs the phone pattern would otherwise take first.
        var result = Iban().Replace(text, m => IsValidIban(m.Value) ? "[IBAN]" : m.Value);
        result = Card().Replace(result, m => PassesLuhn(m.Value) ? "[CARD]" : m.Value);
        result = Email().Replace(result, "[EMAIL]");
        result = Phone().Replace(result, m => Digits(m.Value).Length is >= 7 and <= 15 && !IsoDate().IsMatch(m.Value) ? "[PHONE]" : m.Value);
        foreach (var pattern in _custom)
        {
            result = pattern.Replace(result, "[REDACTED]");
        }

        return result;
    }

    /// <summary>True when a digit string passes the Luhn checksum (and has a card number's length).</summary>
    public static bool PassesLuhn(string candidate)
    {
        var digits = Digits(candidate);
        if (digits.Length is < 13 or > 19)
        {
            return false;
        }

        var sum = 0;
        var doubleIt = false;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var d = digits[i] - '0';
            if (doubleIt)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
            doubleIt = !doubleIt;
        }

        return sum % 10 == 0;
    }

    /// <summary>True when a candidate passes the IBAN mod-97 check.</summary>
    public static bool IsValidIban(string candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var compact = new string(candidate.Where(char.IsLetterOrDigit).ToArray()).ToUpperInvariant();
        if (compact.Length is < 15 or > 34)
        {
            return false;
        }

        var rearranged = compact[4..] + compact[..4];
        var numeric = string.Concat(rearranged.Select(c => char.IsLetter(c) ? (c - 'A' + 10).ToString(System.Globalization.CultureInfo.InvariantCulture) : c.ToString()));
        return BigInteger.Parse(numeric, System.Globalization.CultureInfo.InvariantCulture) % 97 == 1;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoDate();

    private static string Digits(string text) => new(text.Where(char.IsAsciiDigit).ToArray());

    [GeneratedRegex(@"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, 2000)]
    private static partial Regex Iban();

    [GeneratedRegex(@"(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)", RegexOptions.CultureInvariant, 2000)]
    private static partial Regex Card();

    [GeneratedRegex(@"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}", RegexOptions.CultureInvariant, 2000)]
    private static partial Regex Email();

    // International (+CC) or grouped national numbers: digits with spaces, dots, dashes or parentheses between groups.
    [GeneratedRegex(@"(?<![\w-])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{2,4}(?:[ .-]\d{2,4}){1,4}(?![\w-])", RegexOptions.CultureInvariant, 2000)]
    private static partial Regex Phone();
}
