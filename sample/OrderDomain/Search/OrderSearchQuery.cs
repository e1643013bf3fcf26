using System.Globalization;

namespace OrderDomain.Search;

public enum OrderSortField
{
    PlacedAt,
    Total,
    CustomerName,
}

/// <summary>
/// A validated search: every value is typed and bounded before it reaches SQL parameters or the
/// Elasticsearch query DSL. Build it with <see cref="Parse"/> from the raw query string.
/// </summary>
public sealed record OrderSearchQuery(
    string? Text,
    IReadOnlyList<string> Statuses,
    string? CustomerId,
    DateTimeOffset? From,
    DateTimeOffset? To,
    decimal? MinTotal,
    decimal? MaxTotal,
    OrderSortField Sort,
    bool Descending,
    int Page,
    int PageSize)
{
    public const int MaxTextLength = 200;
    public const int MaxPage = 1000;
    public const int MaxPageSize = 100;
    public const int DefaultPageSize = 20;

    public static IReadOnlyList<string> KnownStatuses { get; } = ["placed", "paid", "shipped", "cancelled"];

    public static OrderSearchQuery All { get; } = new(null, [], null, null, null, null, null, OrderSortField.PlacedAt, true, 1, DefaultPageSize);

    public int Skip => (Page - 1) * PageSize;

    /// <summary>Parses the raw parameters; the error names the parameter and the offending value.</summary>
    public static OrderSearchQuery Parse(string? q, string? status, string? customer, string? from, string? to,
        string? minTotal, string? maxTotal, string? sort, string? page, string? pageSize)
    {
        var text = string.IsNullOrWhiteSpace(q) ? null : q.Trim();
        if (text is { Length: > MaxTextLength })
            throw Invalid("q", $"must be at most {MaxTextLength} characters, was {text.Length}");
        if (text is not null && text.Any(char.IsControl))
            throw Invalid("q", "must not contain control characters");

        var statuses = new List<string>();
        if (!string.IsNullOrWhiteSpace(status))
        {
            if (status.Length > 100)
                throw Invalid("status", $"must be at most 100 characters, was {status.Length}");
            foreach (var part in status.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var s = part.ToLowerInvariant();
                if (!KnownStatuses.Contains(s))
                    throw Invalid("status", $"'{Show(part)}' is not one of {string.Join(", ", KnownStatuses)}");
                if (!statuses.Contains(s))
                    statuses.Add(s);
            }
        }

        var customerId = string.IsNullOrWhiteSpace(customer) ? null : customer.Trim();
        if (customerId is { Length: > 64 })
            throw Invalid("customer", $"must be at most 64 characters, was {customerId.Length}");
        if (customerId is not null && customerId.Any(char.IsControl))
            throw Invalid("customer", "must not contain control characters");

        var fromTime = Time("from", from);
        var toTime = Time("to", to);
        if (fromTime > toTime)
            throw Invalid("from", $"{fromTime:O} is after to {toTime:O}");

        var min = Amount("minTotal", minTotal);
        var max = Amount("maxTotal", maxTotal);
        if (min > max)
            throw Invalid("minTotal", $"{min} is above maxTotal {max}");

        var (field, descending) = ParseSort(sort);
        var pageNumber = Int("page", page, 1, 1, MaxPage);
        var size = Int("pageSize", pageSize, DefaultPageSize, 1, MaxPageSize);
        return new OrderSearchQuery(text, statuses, customerId, fromTime, toTime, min, max, field, descending, pageNumber, size);
    }

    private static (OrderSortField, bool) ParseSort(string? sort)
    {
        if (string.IsNullOrWhiteSpace(sort))
            return (OrderSortField.PlacedAt, true);
        var descending = sort.StartsWith('-');
        var name = descending ? sort[1..] : sort;
        return name switch
        {
            "placedAt" => (OrderSortField.PlacedAt, descending),
            "total" => (OrderSortField.Total, descending),
            "customerName" => (OrderSortField.CustomerName, descending),
            _ => throw Invalid("sort", $"'{Show(sort)}' is not one of placedAt, total, customerName (prefix '-' for descending)"),
        };
    }

    private static DateTimeOffset? Time(string name, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        if (value.Length > 40 || !DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            throw Invalid(name, $"'{Show(value)}' is not an ISO 8601 timestamp such as 2026-11-26 or 2026-11-26T10:00:00Z");
        return parsed.ToUniversalTime();
    }

    private static decimal? Amount(string name, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        if (value.Length > 30 || !decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var parsed))
            throw Invalid(name, $"'{Show(value)}' is not a non-negative amount such as 1250.50");
        return parsed;
    }

    private static int Int(string name, string? value, int fallback, int min, int max)
    {
        if (string.IsNullOrWhiteSpace(value))
            return fallback;
        if (value.Length > 10 || !int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed < min || parsed > max)
            throw Invalid(name, $"'{Show(value)}' is not a whole number from {min} to {max}");
        return parsed;
    }

    private static string Show(string value) => value.Length <= 40 ? value : value[..40] + "...";

    private static InvalidSearchException Invalid(string parameter, string problem) => new(parameter, $"{parameter}: {problem}");
}

/// <summary>A search parameter is invalid (HTTP 400). <see cref="Parameter"/> names it.</summary>
public sealed class InvalidSearchException : Exception
{
    public InvalidSearchException(string parameter, string message) : base(message) => Parameter = parameter;

    public InvalidSearchException() => Parameter = "";

    public InvalidSearchException(string message) : base(message) => Parameter = "";

    public InvalidSearchException(string message, Exception innerException) : base(message, innerException) => Parameter = "";

    public string Parameter { get; }
}
