using System.Globalization;
using OrderDomain.Hosting;

namespace OrderDomain.Demo;

/// <summary>Command-line options shared by <c>demo</c> and <c>load</c>. Anything unknown or out of range is a <see cref="UsageException"/>.</summary>
public sealed record DemoArguments(bool Serve, int Orders, int Clients, Uri Url)
{
    public static DemoArguments Parse(string[] args, int defaultOrders, int defaultClients, bool allowServe)
    {
        ArgumentNullException.ThrowIfNull(args);
        var serve = false;
        var orders = defaultOrders;
        var clients = defaultClients;
        var url = new Uri("http://127.0.0.1:5080");
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--serve" when allowServe:
                    serve = true;
                    break;
                case "--orders":
                    orders = Int(args, ++i, "--orders", 1, 1_000_000);
                    break;
                case "--clients":
                    clients = Int(args, ++i, "--clients", 1, 512);
                    break;
                case "--urls":
                    if (i + 1 >= args.Length || !Uri.TryCreate(args[++i], UriKind.Absolute, out var parsed) || parsed.Scheme != Uri.UriSchemeHttp)
                        throw new UsageException($"--urls needs an http URL such as http://127.0.0.1:5080, got '{(i < args.Length ? args[i] : "")}'");
                    url = parsed;
                    break;
                default:
                    throw new UsageException($"unknown argument '{args[i]}'");
            }
        }

        return new DemoArguments(serve, orders, clients, url);
    }

    private static int Int(string[] args, int index, string name, int min, int max)
    {
        if (index >= args.Length)
            throw new UsageException($"{name} needs a number from {min} to {max}");
        if (!int.TryParse(args[index], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            throw new UsageException($"{name} must be a number from {min} to {max}, got '{args[index]}'");
        return value;
    }
}
