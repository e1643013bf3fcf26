namespace OrderDomain.Orders;

/// <summary>
/// What text in an order may hold: no control characters (Unicode category Cc: U+0000-U+001F, U+007F-U+009F,
/// which covers NUL, tabs and line breaks) and no UTF-16 surrogate without its pair (PostgreSQL's jsonb
/// refuses both NUL and unpaired surrogates).
/// </summary>
public static class TextRules
{
    /// <summary>The index of the first character that is not allowed, or null.</summary>
    public static int? FirstInvalid(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsControl(c))
                return i;
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                {
                    i++;
                    continue;
                }

                return i;
            }

            if (char.IsLowSurrogate(c))
                return i;
        }

        return null;
    }
}
