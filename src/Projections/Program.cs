namespace EventSourcing.Projections;

public static class Program
{
    public static int Main(string[] args)
    {
        Console.WriteLine("projections: the CLI is not built yet.");
        return args.Length == 0 ? 0 : 2;
    }
}
