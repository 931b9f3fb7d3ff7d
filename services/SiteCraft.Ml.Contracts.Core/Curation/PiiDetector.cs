using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using PhoneNumbers;

namespace SiteCraft.Ml.Contracts.Core.Curation;

/// <summary>
/// Finds PII in prose, after Presidio's recognizers: e-mail addresses (plain and obfuscated),
/// phone numbers parsed by libphonenumber, card numbers that pass the Luhn check and carry a
/// card network's prefix, IPv4 and IPv6 addresses, and secrets (API keys, tokens, JWTs, private
/// keys). Markup is skipped: HTML tags and their attribute values, style and script bodies, CSS
/// blocks and CSS-looking numbers. Secrets are the exception, found everywhere: a live key is
/// never intended site content, wherever it sits. Thread-safe.
/// </summary>
public sealed partial class PiiDetector(string defaultRegion)
{
    public const string Version = "1";

    private static readonly PhoneNumberUtil s_phones = PhoneNumberUtil.GetInstance();
    private static readonly System.Buffers.SearchValues<char> s_digits = System.Buffers.SearchValues.Create("0123456789");

    /// <summary>Every finding, sorted and non-overlapping (the earliest, then the longest wins).</summary>
    /// <exception cref="RegexMatchTimeoutException">A pattern ran too long on hostile text; callers quarantine the record.</exception>
    public List<PiiFinding> Find(string text)
    {
        var findings = new List<PiiFinding>();
        if (text.Length == 0)
        {
            return findings;
        }

        var markup = MarkupRegions.Find(text);
        Secrets(text, findings);
        Emails(text, markup, findings);

        if (text.AsSpan().IndexOfAnyInRange('0', '9') >= 0)
        {
            Cards(text, markup, findings);
            IPv4(text, markup, findings);
            Phones(text, markup, findings);
        }

        if (text.Contains(':', StringComparison.Ordinal))
        {
            IPv6(text, markup, findings);
        }

        return Resolve(findings);
    }

    /// <summary>The text with each finding replaced by its placeholder, e.g. [EMAIL]; the same instance when nothing is found.</summary>
    public string Redact(string text, out List<PiiFinding> findings)
    {
        findings = Find(text);
        if (findings.Count == 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        var at = 0;
        foreach (var finding in findings)
        {
            builder.Append(text, at, finding.Start - at).Append(Placeholder(finding.Kind));
            at = finding.Start + finding.Length;
        }

        return builder.Append(text, at, text.Length - at).ToString();
    }

    public static string Placeholder(PiiKind kind) => kind switch
    {
        PiiKind.Email => "[EMAIL]",
        PiiKind.Phone => "[PHONE]",
        PiiKind.CreditCard => "[CREDIT_CARD]",
        PiiKind.IPv4 or PiiKind.IPv6 => "[IP_ADDRESS]",
        _ => "[SECRET]",
    };

    public static string RuleName(PiiKind kind) => kind switch
    {
        PiiKind.Email => "pii.email",
        PiiKind.Phone => "pii.phone",
        PiiKind.CreditCard => "pii.credit_card",
        PiiKind.IPv4 => "pii.ipv4",
        PiiKind.IPv6 => "pii.ipv6",
        _ => "pii.secret",
    };

    private static void Secrets(string text, List<PiiFinding> findings)
    {
        foreach (var match in TokenSecret().EnumerateMatches(text))
        {
            findings.Add(new PiiFinding(PiiKind.Secret, match.Index, match.Length));
        }

        if (text.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            foreach (var match in PrivateKey().EnumerateMatches(text))
            {
                findings.Add(new PiiFinding(PiiKind.Secret, match.Index, match.Length));
            }
        }

        for (var match = KeyValueSecret().Match(text); match.Success; match = match.NextMatch())
        {
            var value = match.Groups["value"];
            // Random tokens mix letters and digits; long words and sentences do not.
            if (value.ValueSpan.IndexOfAnyInRange('0', '9') >= 0 && value.ValueSpan.ContainsAnyExcept(s_digits) && Entropy(value.ValueSpan) >= 3.5)
            {
                findings.Add(new PiiFinding(PiiKind.Secret, value.Index, value.Length));
            }
        }
    }

    private static void Emails(string text, List<(int Start, int End)> markup, List<PiiFinding> findings)
    {
        if (text.AsSpan().IndexOfAny('@', '＠') >= 0)
        {
            foreach (var match in Email().EnumerateMatches(text))
            {
                AddOutsideMarkup(findings, markup, PiiKind.Email, match.Index, match.Length);
            }
        }

        if (text.Contains("at", StringComparison.OrdinalIgnoreCase) && text.Contains("dot", StringComparison.OrdinalIgnoreCase))
        {
            foreach (var match in ObfuscatedEmail().EnumerateMatches(text))
            {
                AddOutsideMarkup(findings, markup, PiiKind.Email, match.Index, match.Length);
            }
        }
    }

    private static void Cards(string text, List<(int Start, int End)> markup, List<PiiFinding> findings)
    {
        Span<char> digits = stackalloc char[24];
        foreach (var match in CardCandidate().EnumerateMatches(text))
        {
            var count = 0;
            foreach (var c in text.AsSpan(match.Index, match.Length))
            {
                if (char.IsAsciiDigit(c))
                {
                    if (count == digits.Length)
                    {
                        count = 0;
                        break;
                    }

                    digits[count++] = c;
                }
            }

            if (count is >= 13 and <= 19 && HasCardPrefix(digits[..count]) && Luhn(digits[..count]) && !LooksLikeCss(text, match.Index, match.Length))
            {
                AddOutsideMarkup(findings, markup, PiiKind.CreditCard, match.Index, match.Length);
            }
        }
    }

    private static void IPv4(string text, List<(int Start, int End)> markup, List<PiiFinding> findings)
    {
        foreach (var match in IPv4Address().EnumerateMatches(text))
        {
            AddOutsideMarkup(findings, markup, PiiKind.IPv4, match.Index, match.Length);
        }
    }

    private static void IPv6(string text, List<(int Start, int End)> markup, List<PiiFinding> findings)
    {
        foreach (var match in IPv6Candidate().EnumerateMatches(text))
        {
            var candidate = text.AsSpan(match.Index, match.Length);
            var colons = candidate.Count(':');
            var hexDigits = 0;
            foreach (var c in candidate)
            {
                hexDigits += char.IsAsciiHexDigit(c) ? 1 : 0;
            }

            // A full address has 7 colons, a shortened one "::"; times like 12:30:45 have neither.
            if ((colons == 7 || candidate.Contains("::", StringComparison.Ordinal)) && hexDigits >= 2
                && IPAddress.TryParse(candidate, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6)
            {
                AddOutsideMarkup(findings, markup, PiiKind.IPv6, match.Index, match.Length);
            }
        }
    }

    private void Phones(string text, List<(int Start, int End)> markup, List<PiiFinding> findings)
    {
        // libphonenumber reads a run of digits and separators at a time, not the whole text:
        // the same answers at a fraction of the cost on long HTML.
        foreach (var candidate in PhoneCandidate().EnumerateMatches(text))
        {
            var span = text.AsSpan(candidate.Index, candidate.Length);
            if (CountDigits(span) < 7)
            {
                continue;
            }

            if (LooksLikeCss(text, candidate.Index, candidate.Length))
            {
                continue;
            }

            var window = text.Substring(candidate.Index, candidate.Length);
            foreach (var match in s_phones.FindNumbers(window, defaultRegion, PhoneNumberUtil.Leniency.VALID, long.MaxValue))
            {
                var start = candidate.Index + match.Start;
                if (!LooksLikeCss(text, start, match.Length))
                {
                    AddOutsideMarkup(findings, markup, PiiKind.Phone, start, match.Length);
                }
            }
        }
    }

    private static int CountDigits(ReadOnlySpan<char> span)
    {
        var count = 0;
        foreach (var c in span)
        {
            count += char.IsAsciiDigit(c) ? 1 : 0;
        }

        return count;
    }

    private static void AddOutsideMarkup(List<PiiFinding> findings, List<(int Start, int End)> markup, PiiKind kind, int start, int length)
    {
        if (!MarkupRegions.Overlaps(markup, start, start + length))
        {
            findings.Add(new PiiFinding(kind, start, length));
        }
    }

    /// <summary>Numbers right after '#' (colours, ids) or right before a CSS unit (1234 5678 9012 3456px) are CSS, not PII.</summary>
    private static bool LooksLikeCss(string text, int start, int length)
    {
        if (start > 0 && text[start - 1] == '#')
        {
            return true;
        }

        var end = start + length;
        return end < text.Length && CssUnit().IsMatch(text.AsSpan(end, Math.Min(6, text.Length - end)));
    }

    private static bool HasCardPrefix(ReadOnlySpan<char> digits)
    {
        var two = (digits[0] - '0') * 10 + (digits[1] - '0');
        var four = two * 100 + (digits[2] - '0') * 10 + (digits[3] - '0');
        return digits[0] == '4'                                 // Visa
            || two is >= 51 and <= 55 || four is >= 2221 and <= 2720 // Mastercard
            || two is 34 or 37                                  // American Express
            || four == 6011 || two == 65 || four is >= 6440 and <= 6499 // Discover
            || two == 35                                        // JCB
            || two is 36 or 38 or 30                            // Diners Club
            || two is 62 or 50 or 56 or 57 or 58 or 67 or 63;   // UnionPay, Maestro
    }

    private static bool Luhn(ReadOnlySpan<char> digits)
    {
        var sum = 0;
        var doubled = false;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var d = digits[i] - '0';
            if (doubled)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
            doubled = !doubled;
        }

        return sum % 10 == 0;
    }

    /// <summary>Shannon entropy in bits per character; random tokens score above 3.5, words and repeated characters below.</summary>
    private static double Entropy(ReadOnlySpan<char> value)
    {
        Span<int> counts = stackalloc int[128];
        var other = 0;
        foreach (var c in value)
        {
            if (c < 128)
            {
                counts[c]++;
            }
            else
            {
                other++;
            }
        }

        var entropy = 0.0;
        foreach (var count in counts)
        {
            if (count > 0)
            {
                var p = (double)count / value.Length;
                entropy -= p * Math.Log2(p);
            }
        }

        if (other > 0)
        {
            var p = (double)other / value.Length;
            entropy -= p * Math.Log2(p);
        }

        return entropy;
    }

    private static List<PiiFinding> Resolve(List<PiiFinding> findings)
    {
        if (findings.Count < 2)
        {
            return findings;
        }

        findings.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : b.Length.CompareTo(a.Length));
        var kept = new List<PiiFinding>(findings.Count);
        var end = -1;
        foreach (var finding in findings)
        {
            if (finding.Start >= end)
            {
                kept.Add(finding);
                end = finding.Start + finding.Length;
            }
        }

        return kept;
    }

    // The time limit guards against text built to make a pattern backtrack; the caller quarantines.
    private const int TimeoutMs = 250;

    [GeneratedRegex(@"(?<![\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}\s?[@＠]\s?[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}(?![\w-])", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex Email();

    [GeneratedRegex(@"(?<![\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}\s*(?:[\[({<]\s*at\s*[\])}>]|\sat\s)\s*[A-Za-z0-9-]{1,63}(?:\s*(?:[\[({<]\s*dot\s*[\])}>]|\sdot\s)\s*[A-Za-z0-9-]{1,63}){1,4}(?<=(?:com|org|net|io|dev|app|co|uk|de|fr|es|it|nl|ca|au|info|biz|us|eu))(?![\w-])", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, TimeoutMs)]
    private static partial Regex ObfuscatedEmail();

    [GeneratedRegex(@"(?<![\w-])\d(?:[ -]?\d){12,18}(?![\w-])", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex CardCandidate();

    [GeneratedRegex(@"(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?!\d|\.\d)", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex IPv4Address();

    [GeneratedRegex(@"(?<![\w:.])(?:[0-9A-Fa-f]{1,4}|:)(?::[0-9A-Fa-f]{0,4}){2,7}(?:(?:\.\d{1,3}){3})?(?![\w:])", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex IPv6Candidate();

    [GeneratedRegex(@"(?:\+|\b00)?\(?\d[\d\s().\-/]{5,24}\d(?:\s?(?:x|ext\.?)\s?\d{1,5})?", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex PhoneCandidate();

    [GeneratedRegex(@"^(?:px|em|rem|%|vh|vw|vmin|vmax|pt|pc|cm|mm|in|ch|ex|fr|deg|rad|turn|ms|s|dpi|dppx)(?![A-Za-z])", RegexOptions.CultureInvariant)]
    private static partial Regex CssUnit();

    [GeneratedRegex(@"\b(?:sk-(?:proj-|ant-(?:api\d{2}-)?|live-|test-)?[A-Za-z0-9_-]{20,}|[sr]k_(?:live|test)_[A-Za-z0-9]{16,}|(?:AKIA|ASIA)[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,}|xox[abprs]-[A-Za-z0-9-]{10,}|AIza[0-9A-Za-z_-]{35}|eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{10,})", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex TokenSecret();

    [GeneratedRegex(@"-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----[\s\S]{0,10000}?-----END (?:[A-Z]+ )*PRIVATE KEY-----", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex PrivateKey();

    [GeneratedRegex(@"(?i)\b(?:(?:api[_-]?key|apikey|secret|client[_-]?secret|token|access[_-]?token|auth[_-]?token|password|passwd)\b[""']?\s*[:=]\s*[""']?|bearer\s+)(?<value>[A-Za-z0-9_\-+/=.~]{16,200})", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex KeyValueSecret();
}
