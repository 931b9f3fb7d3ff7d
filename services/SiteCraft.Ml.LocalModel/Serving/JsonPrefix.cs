namespace SiteCraft.Ml.LocalModel.Serving;

/// <summary>
/// A byte-level recogniser of JSON (RFC 8259) prefixes: <see cref="Push(byte)"/> says whether a byte can
/// continue the text so far into some valid JSON document, and <see cref="IsComplete"/> whether
/// the text is one already. A value type, so a candidate token is tried on a copy.
/// </summary>
internal struct JsonPrefix
{
    private const int MaxDepth = 64;
    private static readonly byte[][] s_literals = ["true"u8.ToArray(), "false"u8.ToArray(), "null"u8.ToArray()];

    private ulong _objects;
    private int _depth;
    private Mode _mode;
    private int _aux;
    private int _literal;
    private bool _key;

    private enum Mode
    {
        Value,
        ValueOrEndArray,
        KeyOrEndObject,
        Key,
        Colon,
        CommaOrEnd,
        String,
        StringEscape,
        StringUnicode,
        Literal,
        NumberMinus,
        NumberZero,
        NumberInt,
        NumberDot,
        NumberFraction,
        NumberExponent,
        NumberExponentSign,
        NumberExponentDigits,
        Done,
    }

    /// <summary>The text is a whole JSON document (trailing whitespace allowed).</summary>
    public readonly bool IsComplete => _mode == Mode.Done
        || (_depth == 0 && _mode is Mode.NumberZero or Mode.NumberInt or Mode.NumberFraction or Mode.NumberExponentDigits);

    /// <summary>Feeds one byte; false (and the state unusable) when no JSON document continues this way.</summary>
    public bool Push(byte b)
    {
        switch (_mode)
        {
            case Mode.Value:
                return IsWhitespace(b) || StartValue(b);
            case Mode.ValueOrEndArray:
                return IsWhitespace(b) || (b == (byte)']' ? Close() : StartValue(b));
            case Mode.KeyOrEndObject:
                return IsWhitespace(b) || (b == (byte)'}' ? Close() : StartKey(b));
            case Mode.Key:
                return IsWhitespace(b) || StartKey(b);
            case Mode.Colon:
                if (b == (byte)':')
                {
                    _mode = Mode.Value;
                    return true;
                }

                return IsWhitespace(b);
            case Mode.CommaOrEnd:
                if (IsWhitespace(b))
                {
                    return true;
                }

                var inObject = InObject;
                if (b == (byte)',')
                {
                    _mode = inObject ? Mode.Key : Mode.Value;
                    return true;
                }

                return (inObject ? b == (byte)'}' : b == (byte)']') && Close();
            case Mode.String:
                if (b == (byte)'"')
                {
                    if (_key)
                    {
                        _mode = Mode.Colon;
                    }
                    else
                    {
                        EndValue();
                    }

                    return true;
                }

                if (b == (byte)'\\')
                {
                    _mode = Mode.StringEscape;
                    return true;
                }

                return b >= 0x20;
            case Mode.StringEscape:
                if (b == (byte)'u')
                {
                    _mode = Mode.StringUnicode;
                    _aux = 4;
                    return true;
                }

                _mode = Mode.String;
                return b is (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t';
            case Mode.StringUnicode:
                if (!char.IsAsciiHexDigit((char)b))
                {
                    return false;
                }

                if (--_aux == 0)
                {
                    _mode = Mode.String;
                }

                return true;
            case Mode.Literal:
                var literal = s_literals[_literal];
                if (b != literal[_aux])
                {
                    return false;
                }

                if (++_aux == literal.Length)
                {
                    EndValue();
                }

                return true;
            case Mode.NumberMinus:
                return Digit(b, b == (byte)'0' ? Mode.NumberZero : Mode.NumberInt);
            case Mode.NumberZero:
                return b == (byte)'.' ? Go(Mode.NumberDot) : IsExponent(b) ? Go(Mode.NumberExponent) : EndNumber(b);
            case Mode.NumberInt:
                return IsDigit(b) || (b == (byte)'.' ? Go(Mode.NumberDot) : IsExponent(b) ? Go(Mode.NumberExponent) : EndNumber(b));
            case Mode.NumberDot:
                return Digit(b, Mode.NumberFraction);
            case Mode.NumberFraction:
                return IsDigit(b) || (IsExponent(b) ? Go(Mode.NumberExponent) : EndNumber(b));
            case Mode.NumberExponent:
                return b is (byte)'+' or (byte)'-' ? Go(Mode.NumberExponentSign) : Digit(b, Mode.NumberExponentDigits);
            case Mode.NumberExponentSign:
                return Digit(b, Mode.NumberExponentDigits);
            case Mode.NumberExponentDigits:
                return IsDigit(b) || EndNumber(b);
            case Mode.Done:
                return IsWhitespace(b);
            default:
                return false;
        }
    }

    /// <summary>Feeds bytes; false as soon as one cannot continue.</summary>
    public bool Push(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (!Push(b))
            {
                return false;
            }
        }

        return true;
    }

    private readonly bool InObject => _depth > 0 && ((_objects >> (_depth - 1)) & 1) == 1;

    private static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r';

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';

    private static bool IsExponent(byte b) => b is (byte)'e' or (byte)'E';

    private bool Go(Mode mode)
    {
        _mode = mode;
        return true;
    }

    private bool Digit(byte b, Mode next) => IsDigit(b) && Go(next);

    /// <summary>A byte that cannot extend a finished number ends it and is read as what follows the value.</summary>
    private bool EndNumber(byte b)
    {
        EndValue();
        return Push(b);
    }

    private bool StartKey(byte b)
    {
        if (b != (byte)'"')
        {
            return false;
        }

        _key = true;
        _mode = Mode.String;
        return true;
    }

    private bool StartValue(byte b)
    {
        switch (b)
        {
            case (byte)'{':
            case (byte)'[':
                if (_depth == MaxDepth)
                {
                    return false;
                }

                _objects = b == (byte)'{' ? _objects | (1UL << _depth) : _objects & ~(1UL << _depth);
                _depth++;
                _mode = b == (byte)'{' ? Mode.KeyOrEndObject : Mode.ValueOrEndArray;
                return true;
            case (byte)'"':
                _key = false;
                _mode = Mode.String;
                return true;
            case (byte)'t':
            case (byte)'f':
            case (byte)'n':
                _literal = b == (byte)'t' ? 0 : b == (byte)'f' ? 1 : 2;
                _aux = 1;
                _mode = Mode.Literal;
                return true;
            case (byte)'-':
                return Go(Mode.NumberMinus);
            case (byte)'0':
                return Go(Mode.NumberZero);
            default:
                return IsDigit(b) && Go(Mode.NumberInt);
        }
    }

    private bool Close()
    {
        _depth--;
        EndValue();
        return true;
    }

    private void EndValue() => _mode = _depth == 0 ? Mode.Done : Mode.CommaOrEnd;
}
