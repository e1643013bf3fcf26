namespace OrderDomain.Orders.Http;

/// <summary>An order id from a path: any GUID format .NET reads, except the empty GUID.</summary>
internal static class OrderIds
{
    public static bool TryParse(string? text, out Guid id) =>
        Guid.TryParse(text, out id) && id != Guid.Empty;
}
