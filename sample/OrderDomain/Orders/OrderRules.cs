using System.Globalization;
using System.Text.RegularExpressions;

namespace OrderDomain.Orders;

/// <summary>The order's invariants, each a named rule with a message that says what was wrong.</summary>
public static partial class OrderRules
{
    public const int MaxLines = 20;
    public const int MaxQuantity = 10_000;
    public const int MaxTextLength = 200;

    /// <summary>The highest unit price, in the order's currency.</summary>
    public const decimal MaxUnitPrice = 1_000_000m;

    /// <summary>Prices and amounts are in minor units of at most this many decimal places.</summary>
    public const int MaxDecimalPlaces = 2;

    /// <summary>The highest order total (the sum of its line totals). A line total is at most 10,000 x 1,000,000 = 10^10.</summary>
    public const decimal MaxOrderTotal = 100_000_000m;

    public static void ValidLine(OrderLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        Text("sku", line.Sku, 64);
        Text("product name", line.ProductName, MaxTextLength);
        if (line.Quantity <= 0)
            throw OrderRuleViolated.Invalid("quantity_not_positive", $"quantity of '{line.Sku}' must be above 0, was {line.Quantity.ToString(CultureInfo.InvariantCulture)}");
        if (line.Quantity > MaxQuantity)
            throw OrderRuleViolated.Invalid("quantity_too_large", $"quantity of '{line.Sku}' must be at most {MaxQuantity.ToString(CultureInfo.InvariantCulture)}, was {line.Quantity.ToString(CultureInfo.InvariantCulture)}");
        if (line.UnitPrice < 0)
            throw OrderRuleViolated.Invalid("price_negative", $"unit price of '{line.Sku}' must not be negative, was {line.UnitPrice.ToString(CultureInfo.InvariantCulture)}");
        if (line.UnitPrice > MaxUnitPrice)
            throw OrderRuleViolated.Invalid("price_too_large", $"unit price of '{line.Sku}' must be at most {MaxUnitPrice.ToString(CultureInfo.InvariantCulture)}, was {line.UnitPrice.ToString(CultureInfo.InvariantCulture)}");
        if (line.UnitPrice.Scale > MaxDecimalPlaces && line.UnitPrice != Math.Round(line.UnitPrice, MaxDecimalPlaces))
            throw OrderRuleViolated.Invalid("price_too_precise", $"unit price of '{line.Sku}' may have at most {MaxDecimalPlaces.ToString(CultureInfo.InvariantCulture)} decimal places, was {line.UnitPrice.ToString(CultureInfo.InvariantCulture)}");
    }

    /// <summary>The total of <paramref name="lines"/>, refused above <see cref="MaxOrderTotal"/>. Within the line rules no step can overflow.</summary>
    public static decimal CheckedTotal(IEnumerable<OrderLine> lines)
    {
        var total = 0m;
        foreach (var line in lines)
            total += line.LineTotal;
        if (total > MaxOrderTotal)
            throw OrderRuleViolated.Invalid("order_total_too_large", $"the order total would be {total.ToString(CultureInfo.InvariantCulture)}; it must be at most {MaxOrderTotal.ToString(CultureInfo.InvariantCulture)}");
        return total;
    }

    /// <summary>A payment amount: 0 to <see cref="MaxOrderTotal"/>, at most <see cref="MaxDecimalPlaces"/> decimal places.</summary>
    public static void ValidAmount(decimal amount)
    {
        if (amount < 0 || amount > MaxOrderTotal || (amount.Scale > MaxDecimalPlaces && amount != Math.Round(amount, MaxDecimalPlaces)))
            throw OrderRuleViolated.Invalid("amount_invalid", $"payment amount must be between 0 and {MaxOrderTotal.ToString(CultureInfo.InvariantCulture)} with at most {MaxDecimalPlaces.ToString(CultureInfo.InvariantCulture)} decimal places, was {amount.ToString(CultureInfo.InvariantCulture)}");
    }

    public static void ValidOrderId(Guid orderId)
    {
        if (orderId == Guid.Empty)
            throw OrderRuleViolated.Invalid("order_id_invalid", "order id must not be the empty GUID (00000000-0000-0000-0000-000000000000)");
    }

    public static void ValidCurrency(string currency)
    {
        if (currency is null || !CurrencyCode().IsMatch(currency))
            throw OrderRuleViolated.Invalid("currency_invalid", $"currency must be a three-letter ISO 4217 code such as 'INR', was '{currency}'");
    }

    public static void ValidAddress(ShippingAddress? address)
    {
        if (address is null)
            throw OrderRuleViolated.Invalid("address_missing", "a shipping address is required");
        Text("street", address.Street, MaxTextLength);
        Text("city", address.City, MaxTextLength);
        Text("postal code", address.PostalCode, 32);
        Text("country", address.Country, MaxTextLength);
    }

    public static void Text(string what, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw OrderRuleViolated.Invalid(what.Replace(' ', '_') + "_missing", $"{what} is required");
        if (value.Length > maxLength)
            throw OrderRuleViolated.Invalid(what.Replace(' ', '_') + "_too_long", $"{what} must be at most {maxLength.ToString(CultureInfo.InvariantCulture)} characters, was {value.Length.ToString(CultureInfo.InvariantCulture)}");
        if (TextRules.FirstInvalid(value) is { } bad)
            throw OrderRuleViolated.Invalid(what.Replace(' ', '_') + "_invalid_character", $"{what} must not contain control characters or unpaired surrogates; found U+{((int)value[bad]).ToString("X4", CultureInfo.InvariantCulture)} at position {bad.ToString(CultureInfo.InvariantCulture)}");
    }

    public static void Exists(Order state, Guid orderId)
    {
        if (!state.Exists)
            throw OrderRuleViolated.Conflict("order_not_found", $"order {orderId} does not exist");
    }

    /// <summary>No change after shipping or cancellation.</summary>
    public static void Open(Order state, string action)
    {
        if (state.Status == OrderStatus.Shipped)
            throw OrderRuleViolated.Conflict("order_shipped", $"cannot {action}: order {state.Id} was shipped at {state.ShippedAt:O}");
        if (state.Status == OrderStatus.Cancelled)
            throw OrderRuleViolated.Conflict("order_cancelled", $"cannot {action}: order {state.Id} was cancelled ({state.CancellationReason})");
    }

    /// <summary>Lines are fixed once the order is paid: the payment covered exactly them.</summary>
    public static void Unpaid(Order state, string action)
    {
        if (state.Status == OrderStatus.Paid)
            throw OrderRuleViolated.Conflict("order_paid", $"cannot {action}: order {state.Id} is already paid");
    }

    [GeneratedRegex("^[A-Z]{3}$", RegexOptions.CultureInvariant)]
    private static partial Regex CurrencyCode();
}
