using System.Buffers;
using System.Globalization;
using System.Text;

namespace Flywheel.Evals.Text;

/// <summary>
/// The SQuAD-normalized tokens of a text (see <see cref="AnswerNormalizer"/>) as slices of one pooled buffer, so that
/// token F1 on the gate's hot path allocates no string per token. Dispose returns the buffers to the pool.
/// </summary>
internal struct TokenSpans : IDisposable
{
    private const char Delete = '\uFFFF';
    private const char Space = '\uFFFE';

    // What each ASCII character becomes, computed once with the same Rune calls the general path makes.
    private static readonly char[] AsciiMap = BuildAsciiMap();

    private char[]? _chars;

    // Per token: start, length and a hash (a cheap pre-check before comparing characters).
    private int[]? _tokens;

    /// <summary>How many tokens the text has (articles dropped).</summary>
    public int Count { get; private set; }

    /// <summary>The characters of token <paramref name="index"/>.</summary>
    public readonly ReadOnlySpan<char> this[int index] => _chars.AsSpan(_tokens![3 * index], _tokens[(3 * index) + 1]);

    /// <summary>Tokenizes a text: lower case, punctuation and symbols deleted, split on white space, English articles dropped.</summary>
    public static TokenSpans Of(string? text)
    {
        var tokens = default(TokenSpans);
        if (string.IsNullOrEmpty(text))
        {
            return tokens;
        }

        var composed = Ascii.IsValid(text) ? text : UnicodeNormalization.Normalize(text, NormalizationForm.FormC);
        tokens._chars = ArrayPool<char>.Shared.Rent(composed.Length + 2);
        // Tokens are separated by at least one character, so there are at most (length + 1) / 2 of them.
        tokens._tokens = ArrayPool<int>.Shared.Rent(3 * ((composed.Length / 2) + 1));
        var length = 0;
        var start = 0;
        var i = 0;
        while (i < composed.Length)
        {
            var c = composed[i];
            if (c < 0x80)
            {
                i++;
                var mapped = AsciiMap[c];
                if (mapped == Delete)
                {
                    // SQuAD deletes punctuation rather than splitting on it, so "182,410.22" stays one token.
                    continue;
                }

                if (mapped == Space)
                {
                    tokens.End(start, length);
                    start = length;
                    continue;
                }

                tokens.Append(ref length, mapped);
                continue;
            }

            // Invalid UTF-16 decodes to U+FFFD (a symbol, so deleted), as string.EnumerateRunes does.
            Rune.DecodeFromUtf16(composed.AsSpan(i), out var rune, out var consumed);
            i += consumed;
            if (IsPunctuationOrSymbol(Rune.GetUnicodeCategory(rune)))
            {
                continue;
            }

            if (Rune.IsWhiteSpace(rune))
            {
                tokens.End(start, length);
                start = length;
                continue;
            }

            var lower = Rune.ToLowerInvariant(rune);
            if (lower.IsBmp)
            {
                tokens.Append(ref length, (char)lower.Value);
            }
            else
            {
                var value = lower.Value - 0x10000;
                tokens.Append(ref length, (char)(0xD800 + (value >> 10)));
                tokens.Append(ref length, (char)(0xDC00 + (value & 0x3FF)));
            }
        }

        tokens.End(start, length);
        return tokens;
    }

    /// <summary>SQuAD token F1 between a prediction and one reference (same result as <see cref="AnswerNormalizer.TokenF1"/>).</summary>
    public static double F1(in TokenSpans prediction, in TokenSpans reference)
    {
        if (prediction.Count == 0 || reference.Count == 0)
        {
            // SQuAD: both empty is a match, one empty is not.
            return prediction.Count == reference.Count ? 1.0 : 0.0;
        }

        var common = prediction.Count * reference.Count <= 1 << 16 ? CommonByScan(prediction, reference) : CommonByCounts(prediction, reference);
        if (common == 0)
        {
            return 0.0;
        }

        var precision = (double)common / prediction.Count;
        var recall = (double)common / reference.Count;
        return 2 * precision * recall / (precision + recall);
    }

    /// <summary>The tokens as strings.</summary>
    public readonly List<string> ToList()
    {
        var list = new List<string>(Count);
        for (var i = 0; i < Count; i++)
        {
            list.Add(new string(this[i]));
        }

        return list;
    }

    /// <summary>The tokens joined by single spaces (the normalized text).</summary>
    public readonly string Join()
    {
        if (Count == 0)
        {
            return string.Empty;
        }

        var total = Count - 1;
        for (var i = 0; i < Count; i++)
        {
            total += _tokens![(3 * i) + 1];
        }

        var builder = new StringBuilder(total);
        for (var i = 0; i < Count; i++)
        {
            if (i > 0)
            {
                builder.Append(' ');
            }

            builder.Append(this[i]);
        }

        return builder.ToString();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_chars is not null)
        {
            ArrayPool<char>.Shared.Return(_chars);
            ArrayPool<int>.Shared.Return(_tokens!);
            _chars = null;
            _tokens = null;
            Count = 0;
        }
    }

    internal static bool IsPunctuationOrSymbol(UnicodeCategory category) => category is
        UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation or
        UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation or
        UnicodeCategory.OtherPunctuation or UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol or
        UnicodeCategory.ModifierSymbol or UnicodeCategory.OtherSymbol;

    private readonly int HashAt(int index) => _tokens![(3 * index) + 2];

    // Counting matches by scanning: for the few tokens of an answer this beats a dictionary and allocates nothing.
    // Each prediction token takes one unused equal reference token, which counts min(occurrences) per token as SQuAD does.
    private static int CommonByScan(in TokenSpans prediction, in TokenSpans reference)
    {
        var used = reference.Count <= 256 ? stackalloc bool[reference.Count] : new bool[reference.Count];
        var common = 0;
        for (var i = 0; i < prediction.Count; i++)
        {
            var hash = prediction.HashAt(i);
            var token = prediction[i];
            for (var j = 0; j < reference.Count; j++)
            {
                if (!used[j] && reference.HashAt(j) == hash && token.SequenceEqual(reference[j]))
                {
                    used[j] = true;
                    common++;
                    break;
                }
            }
        }

        return common;
    }

    private static int CommonByCounts(in TokenSpans prediction, in TokenSpans reference)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var lookup = counts.GetAlternateLookup<ReadOnlySpan<char>>();
        for (var j = 0; j < reference.Count; j++)
        {
            lookup[reference[j]] = lookup.TryGetValue(reference[j], out var n) ? n + 1 : 1;
        }

        var common = 0;
        for (var i = 0; i < prediction.Count; i++)
        {
            if (lookup.TryGetValue(prediction[i], out var left) && left > 0)
            {
                lookup[prediction[i]] = left - 1;
                common++;
            }
        }

        return common;
    }

    private static char[] BuildAsciiMap()
    {
        var map = new char[0x80];
        for (var c = 0; c < map.Length; c++)
        {
            var rune = new Rune(c);
            map[c] = IsPunctuationOrSymbol(Rune.GetUnicodeCategory(rune)) ? Delete
                : Rune.IsWhiteSpace(rune) ? Space
                : (char)Rune.ToLowerInvariant(rune).Value;
        }

        return map;
    }

    private void Append(ref int length, char c)
    {
        if (length == _chars!.Length)
        {
            // Lower-casing keeps UTF-16 lengths in practice; grow rather than trust that.
            var larger = ArrayPool<char>.Shared.Rent(_chars.Length * 2);
            _chars.AsSpan(0, length).CopyTo(larger);
            ArrayPool<char>.Shared.Return(_chars);
            _chars = larger;
        }

        _chars[length++] = c;
    }

    private void End(int start, int length)
    {
        var token = _chars.AsSpan(start, length - start);
        if (token.IsEmpty || token is "a" or "an" or "the")
        {
            return;
        }

        if (3 * (Count + 1) > _tokens!.Length)
        {
            var larger = ArrayPool<int>.Shared.Rent(_tokens.Length * 2);
            _tokens.AsSpan(0, 3 * Count).CopyTo(larger);
            ArrayPool<int>.Shared.Return(_tokens);
            _tokens = larger;
        }

        var hash = 2166136261u;
        foreach (var c in token)
        {
            hash = (hash ^ c) * 16777619u;
        }

        _tokens[3 * Count] = start;
        _tokens[(3 * Count) + 1] = token.Length;
        _tokens[(3 * Count) + 2] = (int)hash;
        Count++;
    }
}
