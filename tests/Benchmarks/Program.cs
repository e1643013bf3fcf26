namespace EventSourcing.Benchmarks;

public static class Program
{
    public static int Main(string[] args)
    {
        Console.WriteLine("usage: Benchmarks <append|projections|publish> [--quick]");
        return args.Length == 0 ? 0 : 2;
    }
}
