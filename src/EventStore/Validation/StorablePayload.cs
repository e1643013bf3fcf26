namespace EventSourcing.EventStore.Validation;

/// <summary>
/// What PostgreSQL's jsonb refuses although System.Text.Json writes it: the escape <c>\u0000</c> (a NUL
/// character) and a UTF-16 surrogate without its pair. Checked before any SQL runs: a payload the server
/// refuses fails the append's batch after Marten has drawn sequence numbers, and Marten then writes its
/// tombstone stream (an <c>mt_streams</c> row at version 0 with no events) to cover the gap.
/// </summary>
internal static class StorablePayload
{
    /// <summary>Null when <paramref name="json"/> can be stored, otherwise what is wrong with it.</summary>
    public static string? Problem(string json)
    {
        for (var i = 0; i < json.Length; i++)
        {
            var c = json[i];
            if (char.IsHighSurrogate(c) && (i + 1 >= json.Length || !char.IsLowSurrogate(json[++i])))
                return "an unpaired UTF-16 surrogate";
            if (char.IsLowSurrogate(c))
                return "an unpaired UTF-16 surrogate";
            if (c != '\\' || i + 1 >= json.Length)
                continue;
            i++;
            if (json[i] != 'u' || i + 4 >= json.Length)
                continue;
            var code = Hex(json, i + 1);
            i += 4;
            if (code == 0)
                return "a NUL character (\\u0000)";
            if (code is >= 0xDC00 and <= 0xDFFF)
                return "an unpaired UTF-16 surrogate";
            if (code is >= 0xD800 and <= 0xDBFF)
            {
                var low = i + 6 < json.Length && json[i + 1] == '\\' && json[i + 2] == 'u' ? Hex(json, i + 3) : -1;
                if (low is < 0xDC00 or > 0xDFFF)
                    return "an unpaired UTF-16 surrogate";
                i += 6;
            }
        }

        return null;
    }

    private static int Hex(string text, int start)
    {
        var value = 0;
        for (var k = start; k < start + 4; k++)
        {
            var digit = HexDigit(text[k]);
            if (digit < 0)
                return -1;
            value = (value << 4) | digit;
        }

        return value;
    }

    private static int HexDigit(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
