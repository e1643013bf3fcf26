namespace EventSourcing.SchemaTools;

public static class Program
{
    public static int Main(string[] args)
    {
        Console.WriteLine("schema-tools: the CLI is not built yet.");
        return args.Length == 0 ? 0 : 2;
    }
}
