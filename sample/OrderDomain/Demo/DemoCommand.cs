namespace OrderDomain.Demo;

public static class DemoCommand
{
    public static Task<int> RunAsync(string[] args, CancellationToken ct) => Task.FromResult(0);
}
