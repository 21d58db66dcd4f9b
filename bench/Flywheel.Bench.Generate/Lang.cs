using System.Globalization;

namespace Flywheel.Bench.Generate;

/// <summary>How one locale writes money, dates and prose: en-US ($1,234.56, Nov 18), en-GB (£1,234.56, 18 Nov), es-ES (1.234,56 €, 18 de noviembre).</summary>
internal sealed class Lang(string locale)
{
    public string Locale { get; } = locale;

    public bool Es => Locale == "es-ES";

    /// <summary>The account currency of the locale.</summary>
    public string Currency => Locale switch { "en-US" => "USD", "en-GB" => "GBP", _ => "EUR" };

    public string T(string en, string es) => Es ? es : en;

    public string T(string us, string gb, string es) => Es ? es : Locale == "en-GB" ? gb : us;

    public string Money(decimal value) => Locale switch
    {
        "en-US" => "$" + Amount(value),
        "en-GB" => "£" + Amount(value),
        _ => Amount(value) + " €",
    };

    /// <summary>A bare amount with two decimals in the locale's separators.</summary>
    public string Amount(decimal value)
    {
        var text = value.ToString("N2", CultureInfo.InvariantCulture);
        return Es ? text.Replace(',', '_').Replace('.', ',').Replace('_', '.') : text;
    }

    /// <summary>A bare number with the locale's thousands separator, no decimals.</summary>
    public string Whole(int value)
    {
        var text = value.ToString("N0", CultureInfo.InvariantCulture);
        return Es ? text.Replace(',', '.') : text;
    }

    /// <summary>A day of November 2026.</summary>
    public string Date(int day) => Locale switch
    {
        "en-US" => $"Nov {day}",
        "en-GB" => $"{day} Nov",
        _ => $"{day} de noviembre",
    };

    public string Month(int month) => Es ? MonthsEs[month - 1] : CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(month);

    private static readonly string[] MonthsEs = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"];
}
