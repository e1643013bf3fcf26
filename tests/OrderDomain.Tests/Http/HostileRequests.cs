using System.Globalization;
using System.Text.Json;

namespace EventSourcing.OrderDomain.Tests.Http;

/// <summary>One generated request: route, headers and body text, valid or hostile in one place.</summary>
internal sealed record HostileRequest(string Route, HttpMethod Method, string Path, string? ContentType, string? Body,
    string? IfMatch, string? IdempotencyKey)
{
    public override string ToString() =>
        $"{Method} {Path} [{ContentType}] If-Match={IfMatch} Key={IdempotencyKey} body={(Body is null ? "(none)" : Body.Length > 300 ? Body[..300] + "..." : Body)}";
}

/// <summary>
/// Builds <see cref="HostileRequest"/>s from a seed (so CsCheck's seed replays a failure exactly): about a
/// third of the bodies are valid, the others break exactly one thing (a value at or past a limit, a NUL or
/// control character, an empty GUID, a wrong type, an unknown or repeated field, deep nesting, a huge body).
/// </summary>
internal static class HostileRequests
{
    private static readonly string[] HostileText =
    [
        "a\u0000b", "\u0000", "bell\u0007", "line\nbreak", "tab\tin", "\u007f", "\u0085x", "\ud800", "x\udfffy", "", "   ",
        new('x', 65), new('y', 201), new('z', 501), "😀 emoji", "Ünïcödé", "'; drop table orders; --", "<script>",
    ];

    /// <summary>Path segments: a NUL or a lone surrogate cannot be sent in a URL (Kestrel refuses the request line before the app).</summary>
    private static readonly string[] PathText = [.. HostileText.Where(t => !t.Contains('\0', StringComparison.Ordinal) && !t.Any(char.IsSurrogate))];

    private static readonly string[] HostileNumbers =
    [
        "0", "-1", "-0.01", "0.001", "1.5", "10000", "10001", "999999.99", "1000000", "1000000.01", "100000000.01", "5e28",
        "79228162514264337593543950335", "-79228162514264337593543950335", "1e400", "2147483648", "\"5\"", "null", "true", "[]", "{}", "1e-30",
    ];

    private static readonly string[] WrongTypes = ["123", "true", "[]", "{}", "null", "\"text\"", "1.5"];

    public static HostileRequest Create(int seed, IReadOnlyList<Guid> known)
    {
        var r = new Random(seed);
        var route = Pick(r, ["place", "place", "place", "place", "items", "items", "remove", "payment", "shipment", "cancellation", "get", "get"]);
        var hostile = r.Next(3) != 0;
        var id = Target(r, known, hostile && r.Next(3) == 0);
        var contentType = hostile && r.Next(15) == 0 ? Pick(r, ["text/plain", null, "application/xml", "application/json; charset=utf-8"]) : "application/json";
        var ifMatch = r.Next(8) == 0 ? Pick(r, ["\"1\"", "abc", "\"-1\"", "W/\"2\"", new string('9', 40)]) : null;
        var key = r.Next(8) == 0 ? Pick(r, ["k-" + r.Next(20).ToString(CultureInfo.InvariantCulture), new string('k', 201), " "]) : null;

        Fields body;
        switch (route)
        {
            case "place":
                body = PlaceOrder(r);
                break;
            case "items":
                body = Line(r);
                break;
            case "payment":
                body = new Fields { ["amount"] = Money(r), ["paymentReference"] = Text(r, "pay-1") };
                break;
            case "shipment":
                body = new Fields { ["carrier"] = Text(r, "BlueDart"), ["trackingNumber"] = Text(r, "BD123") };
                break;
            case "cancellation":
                body = new Fields { ["reason"] = Text(r, "changed my mind") };
                break;
            default:
                body = [];
                break;
        }

        var text = hostile ? Break(r, body) : body.ToJson();
        return route switch
        {
            "place" => new("place", HttpMethod.Post, "/orders", contentType, text, null, key),
            "items" => new(route, HttpMethod.Post, $"/orders/{id}/items", contentType, text, ifMatch, key),
            "remove" => new(route, HttpMethod.Delete, $"/orders/{id}/items/{Uri.EscapeDataString(hostile ? Pick(r, PathText)! : "TEA-001")}", null, null, ifMatch, key),
            "get" => new(route, HttpMethod.Get, $"/orders/{id}" + (hostile ? "?asOf=" + Uri.EscapeDataString(Pick(r, AsOf)!) : ""), null, null, null, null),
            _ => new(route, HttpMethod.Post, $"/orders/{id}/{route}", contentType, text, ifMatch, key),
        };
    }

    private static readonly string[] AsOf =
    [
        "0001-01-01T00:00:00-14:00", "9999-12-31T23:59:59+14:00", "1969-12-31T23:59:59Z", "1970-01-01T00:00:00Z", "2026-11-26T10:00:00Z",
        "not a date", "", "2026-13-45", "9999-12-30T00:00:00Z", "2026-11-26T10:00:00\u0007",
    ];

    private static string Target(Random r, IReadOnlyList<Guid> known, bool hostile)
    {
        if (hostile)
            return Uri.EscapeDataString(Pick(r, ["00000000-0000-0000-0000-000000000000", "zzz", "{" + Guid.NewGuid() + "}", new string('a', 300), "0", "ä"])!);
        return known.Count > 0 && r.Next(3) != 0 ? known[r.Next(known.Count)].ToString() : Guid.NewGuid().ToString();
    }

    private static Fields PlaceOrder(Random r)
    {
        var array = new List<string>();
        var count = r.Next(1, 4);
        for (var i = 0; i < count; i++)
        {
            var quantity = r.Next(1, 6);
            var price = r.Next(0, 100_000) / 100m;
            array.Add(new Fields
            {
                ["sku"] = Json("SKU-" + i.ToString(CultureInfo.InvariantCulture)),
                ["productName"] = Json("Product " + i.ToString(CultureInfo.InvariantCulture)),
                ["quantity"] = quantity.ToString(CultureInfo.InvariantCulture),
                ["unitPrice"] = price.ToString(CultureInfo.InvariantCulture),
            }.ToJson());
        }

        var fields = new Fields
        {
            ["customerId"] = Json("cust-" + r.Next(1000).ToString(CultureInfo.InvariantCulture)),
            ["customerName"] = Text(r, "Asha Rao"),
            ["lines"] = "[" + string.Join(",", array) + "]",
            ["shippingAddress"] = new Fields { ["street"] = Json("12 MG Road"), ["city"] = Json("Bengaluru"), ["postalCode"] = Json("560001"), ["country"] = Json("IN") }.ToJson(),
            ["currency"] = Json("INR"),
        };
        if (r.Next(3) == 0)
            fields["orderId"] = Json(Guid.NewGuid().ToString());
        return fields;
    }

    private static Fields Line(Random r) => new()
    {
        ["sku"] = Json("ADD-" + r.Next(5).ToString(CultureInfo.InvariantCulture)),
        ["productName"] = Text(r, "Added"),
        ["quantity"] = r.Next(1, 4).ToString(CultureInfo.InvariantCulture),
        ["unitPrice"] = (r.Next(1, 10_000) / 100m).ToString(CultureInfo.InvariantCulture),
    };

    private static string Text(Random r, string valid) => Json(valid + (r.Next(4) == 0 ? " " + r.Next(100).ToString(CultureInfo.InvariantCulture) : ""));

    private static string Money(Random r) => (r.Next(0, 100_000) / 100m).ToString(CultureInfo.InvariantCulture);

    /// <summary>Breaks one thing in <paramref name="body"/>, or the whole body.</summary>
    private static string Break(Random r, Fields body)
    {
        switch (r.Next(12))
        {
            case 0:
                return Pick(r, ["null", "", "[1,2]", "{", "\"text\"", "{\"a\":1,}", "{/*c*/}", new string('[', 200) + new string(']', 200),
                    "{\"customerName\":\"" + new string('x', 70_000) + "\"}", "{\"x\":" + new string('{', 50) + new string('}', 50) + "}"])!;
            case 1:
                body["unexpected" + r.Next(3).ToString(CultureInfo.InvariantCulture)] = Pick(r, WrongTypes)!;
                return body.ToJson();
            case 2 when body.Count > 0:
                body.Remove(body.Keys.ElementAt(r.Next(body.Count)));
                return body.ToJson();
            case 3 when body.Count > 0:
                var first = body.First();
                return body.ToJson()[..^1] + (body.Count > 0 ? "," : "") + Json(first.Key) + ":" + first.Value + "}";
        }

        if (body.Count == 0)
            return body.ToJson();
        var name = body.Keys.ElementAt(r.Next(body.Count));
        if (name == "lines")
            body[name] = Pick(r, ["[]", "[null]", "\"not a list\"", "[" + string.Join(",", Enumerable.Repeat(Line(r).ToJson(), 21)) + "]",
                "[" + HostileLine(r) + "]", "[" + Line(r).ToJson() + "," + HostileLine(r) + "]", "[" + Line(r).ToJson() + "," + Line(r).ToJson() + "]"])!;
        else if (name == "shippingAddress")
            body[name] = Pick(r, ["null", "{}", "\"street\"", new Fields { ["street"] = Json(Pick(r, HostileText)!), ["city"] = Json("c"), ["postalCode"] = Json("1"), ["country"] = Json("IN") }.ToJson()])!;
        else if (name is "quantity" or "unitPrice" or "amount")
            body[name] = Pick(r, HostileNumbers)!;
        else
            body[name] = r.Next(4) == 0 ? Pick(r, WrongTypes)! : Json(Pick(r, HostileText)!);
        return body.ToJson();
    }

    private static string HostileLine(Random r)
    {
        var line = Line(r);
        line[Pick(r, ["quantity", "unitPrice"])!] = Pick(r, HostileNumbers)!;
        if (r.Next(3) == 0)
            line["sku"] = Json(Pick(r, HostileText)!);
        return line.ToJson();
    }

    private static string Json(string value) => JsonSerializer.Serialize(value);

    private static T Pick<T>(Random r, T[] values) => values[r.Next(values.Length)];

    /// <summary>A JSON object as raw member texts, in order.</summary>
    private sealed class Fields : Dictionary<string, string>
    {
        public Fields() : base(StringComparer.Ordinal)
        {
        }

        public string ToJson() => "{" + string.Join(",", this.Select(f => Json(f.Key) + ":" + f.Value)) + "}";
    }
}
