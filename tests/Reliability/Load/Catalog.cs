namespace EventSourcing.Reliability.Load;

/// <summary>The customers and products the writers use: few customers, so customer documents take many updates from many writers.</summary>
public static class Catalog
{
    public static IReadOnlyList<string> Customers { get; } = [.. Enumerable.Range(1, 24).Select(i => $"c-{i:00}")];

    public static IReadOnlyList<string> Names { get; } = ["Asha Rao", "Vikram Iyer", "Meera Nair", "Rahul Das", "Priya Sen", "Kabir Khan"];

    public static IReadOnlyList<(string Sku, string Name, decimal Price)> Products { get; } =
    [
        ("TEA-ASM-500", "Assam Tea 500g", 250.50m), ("TEA-DRJ-250", "Darjeeling Tea 250g", 420m),
        ("TEA-NLG-100", "Nilgiri Tea 100g", 99.99m), ("SPC-CRD-050", "Green Cardamom 50g", 185.25m),
        ("SPC-SAF-001", "Kashmiri Saffron 1g", 310m), ("CFE-CHK-500", "Chikmagalur Coffee 500g", 560.75m),
        ("RCE-BSM-1KG", "Basmati Rice 1kg", 145m), ("HNY-WLD-250", "Wild Honey 250g", 275.40m),
    ];

    public static IReadOnlyList<(string City, string Country)> Cities { get; } =
        [("Bengaluru", "IN"), ("Mumbai", "IN"), ("Kochi", "IN"), ("Singapore", "SG"), ("London", "GB")];

    public static IReadOnlyList<string> Currencies { get; } = ["INR", "INR", "USD", "EUR"];
}
