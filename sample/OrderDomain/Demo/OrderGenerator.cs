using OrderDomain.Orders.Http;

namespace OrderDomain.Demo;

/// <summary>What happens to a generated order after it is placed.</summary>
public enum OrderFate
{
    StaysPlaced,
    Paid,
    Shipped,
    Cancelled,
}

/// <summary>A generated order: the request to place it, an optional extra item, and what happens to it next.</summary>
public sealed record GeneratedOrder(Guid OrderId, PlaceOrderRequest Request, AddItemRequest? ExtraItem, OrderFate Fate)
{
    public decimal Total => Request.Lines!.Sum(l => l!.Quantity!.Value * l.UnitPrice!.Value) + (ExtraItem is { } x ? x.Quantity!.Value * x.UnitPrice!.Value : 0m);

    public string ExpectedStatus => Fate switch
    {
        OrderFate.Paid => "paid",
        OrderFate.Shipped => "shipped",
        OrderFate.Cancelled => "cancelled",
        _ => "placed",
    };
}

/// <summary>Realistic orders from a fixed seed: the same run twice places the same kinds of orders.</summary>
public sealed class OrderGenerator(int seed)
{
    private static readonly (string Id, string Name, string Street, string City, string Postal, string Country, string Currency)[] Customers =
    [
        ("c-asha", "Asha Rao", "12 MG Road", "Bengaluru", "560001", "IN", "INR"),
        ("c-vikram", "Vikram Singh", "4 Marine Drive", "Mumbai", "400020", "IN", "INR"),
        ("c-meera", "Meera Iyer", "22 Besant Avenue", "Chennai", "600090", "IN", "INR"),
        ("c-rahul", "Rahul Gupta", "7 Hauz Khas", "Delhi", "110016", "IN", "INR"),
        ("c-priya", "Priya Nair", "3 Marine Drive", "Kochi", "682031", "IN", "INR"),
        ("c-sara", "Sara Khan", "18 Linking Road", "Mumbai", "400050", "IN", "INR"),
        ("c-arjun", "Arjun Mehta", "9 CG Road", "Ahmedabad", "380009", "IN", "INR"),
        ("c-kavya", "Kavya Reddy", "55 Jubilee Hills", "Hyderabad", "500033", "IN", "INR"),
        ("c-rohan", "Rohan Das", "1 Park Street", "Kolkata", "700016", "IN", "INR"),
        ("c-ananya", "Ananya Joshi", "30 FC Road", "Pune", "411004", "IN", "INR"),
        ("c-farhan", "Farhan Ali", "8 Hazratganj", "Lucknow", "226001", "IN", "INR"),
        ("c-divya", "Divya Menon", "14 Residency Road", "Bengaluru", "560025", "IN", "INR"),
        ("c-john", "John O'Brien", "21 Grafton Street", "Dublin", "D02", "IE", "EUR"),
        ("c-emma", "Emma Schulz", "5 Torstrasse", "Berlin", "10119", "DE", "EUR"),
        ("c-liam", "Liam Carter", "77 Mission Street", "San Francisco", "94105", "US", "USD"),
        ("c-olivia", "Olivia Brown", "10 King Street", "London", "EC2V", "GB", "GBP"),
    ];

    private static readonly (string Sku, string Name, decimal Inr)[] Products =
    [
        ("TEA-ASM-500", "Assam Tea 500g", 250m),
        ("TEA-DRJ-250", "Darjeeling First Flush Tea 250g", 640m),
        ("TEA-MSL-200", "Masala Chai Blend 200g", 180m),
        ("TEA-GRN-100", "Nilgiri Green Tea 100g", 220m),
        ("COF-FLT-500", "Filter Coffee Powder 500g", 340m),
        ("COF-CHK-250", "Chikmagalur Arabica Beans 250g", 450m),
        ("MUG-STN-01", "Stoneware Mug", 399m),
        ("KTL-BRS-01", "Brass Tea Kettle", 2499m),
        ("SPC-BOX-01", "Masala Dabba Spice Box", 1199m),
        ("SPC-TUR-200", "Lakadong Turmeric 200g", 210m),
        ("SPC-CRD-100", "Green Cardamom 100g", 380m),
        ("RCE-BSM-5K", "Basmati Rice 5kg", 899m),
        ("HNY-RAW-500", "Raw Forest Honey 500g", 520m),
        ("NTB-CTN-A5", "Handmade Cotton Notebook A5", 290m),
        ("BAG-JUT-01", "Jute Tote Bag", 349m),
        ("TWL-CTN-02", "Handloom Cotton Towel (pair)", 799m),
        ("LMP-BRS-01", "Brass Diya Lamp", 650m),
        ("SHL-PSH-01", "Pashmina Shawl", 5499m),
        ("SOP-NEM-03", "Neem Soap (3 pack)", 240m),
        ("INC-SND-50", "Sandalwood Incense (50 sticks)", 150m),
    ];

    private static readonly Dictionary<string, decimal> PerRupee = new(StringComparer.Ordinal)
    {
        ["INR"] = 1m, ["EUR"] = 0.011m, ["USD"] = 0.012m, ["GBP"] = 0.0095m,
    };

    private readonly Random _random = new(seed);

    public IReadOnlyList<GeneratedOrder> Generate(int count) => [.. Enumerable.Range(0, count).Select(_ => Next())];

    public GeneratedOrder Next()
    {
        var customer = Customers[_random.Next(Customers.Length)];
        var lineCount = 1 + _random.Next(4);
        var products = Products.OrderBy(_ => _random.Next()).Take(lineCount + 1).ToArray();
        var lines = products.Take(lineCount)
            .Select(p => (OrderLineRequest?)new OrderLineRequest(p.Sku, p.Name, 1 + _random.Next(3), Price(p.Inr, customer.Currency)))
            .ToArray();
        var extra = _random.NextDouble() < 0.2
            ? new AddItemRequest(products[^1].Sku, products[^1].Name, 1, Price(products[^1].Inr, customer.Currency))
            : null;
        var roll = _random.NextDouble();
        var fate = roll < 0.08 ? OrderFate.Cancelled : roll < 0.35 ? OrderFate.StaysPlaced : roll < 0.65 ? OrderFate.Paid : OrderFate.Shipped;
        var id = new Guid([.. Enumerable.Range(0, 16).Select(_ => (byte)_random.Next(256))]);
        var request = new PlaceOrderRequest(id, customer.Id, customer.Name, lines,
            new AddressRequest(customer.Street, customer.City, customer.Postal, customer.Country), customer.Currency);
        return new GeneratedOrder(id, request, extra, fate);
    }

    private static decimal Price(decimal inr, string currency) => Math.Round(inr * PerRupee[currency], 2);
}
