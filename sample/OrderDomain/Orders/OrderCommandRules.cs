using System.Globalization;

namespace OrderDomain.Orders;

/// <summary>
/// The checks a command passes before the decider looks at the order's state: every id, text, quantity,
/// price and amount in it is within the limits (docs/security.md, "Validation limits"). The HTTP layer runs
/// them before loading the order; the decider runs them again, so no caller can skip them.
/// </summary>
public static class OrderCommandRules
{
    public static void Validate(OrderCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        OrderRules.ValidOrderId(command.OrderId);
        switch (command)
        {
            case PlaceOrder c:
                OrderRules.Text("customer id", c.CustomerId, 64);
                OrderRules.Text("customer name", c.CustomerName, OrderRules.MaxTextLength);
                OrderRules.ValidCurrency(c.Currency);
                OrderRules.ValidAddress(c.ShippingAddress);
                if (c.Lines is null || c.Lines.Count == 0)
                    throw OrderRuleViolated.Invalid("lines_missing", "an order needs at least one line");
                if (c.Lines.Count > OrderRules.MaxLines)
                    throw OrderRuleViolated.Invalid("too_many_lines", $"an order may have at most {OrderRules.MaxLines.ToString(CultureInfo.InvariantCulture)} lines, got {c.Lines.Count.ToString(CultureInfo.InvariantCulture)}");
                foreach (var line in c.Lines)
                    OrderRules.ValidLine(line);
                var duplicate = c.Lines.GroupBy(l => l.Sku, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
                if (duplicate is not null)
                    throw OrderRuleViolated.Invalid("duplicate_sku", $"sku '{duplicate.Key}' appears on more than one line");
                OrderRules.CheckedTotal(c.Lines);
                break;
            case AddItem c:
                OrderRules.ValidLine(c.Line);
                break;
            case RemoveItem c:
                OrderRules.Text("sku", c.Sku, 64);
                break;
            case ConfirmPayment c:
                OrderRules.ValidAmount(c.Amount);
                OrderRules.Text("payment reference", c.PaymentReference, 100);
                break;
            case ShipOrder c:
                OrderRules.Text("carrier", c.Carrier, 100);
                OrderRules.Text("tracking number", c.TrackingNumber, 100);
                break;
            case CancelOrder c:
                OrderRules.Text("cancellation reason", c.Reason, 500);
                break;
        }
    }
}
