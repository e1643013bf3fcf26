namespace OrderDomain.Orders;

/// <summary>One line of an order: a product, how many, and the price of one.</summary>
public sealed record OrderLine(string Sku, string ProductName, int Quantity, decimal UnitPrice)
{
    public decimal LineTotal => Quantity * UnitPrice;
}

public sealed record ShippingAddress(string Street, string City, string PostalCode, string Country);

public enum OrderStatus
{
    None,
    Placed,
    Paid,
    Shipped,
    Cancelled,
}
