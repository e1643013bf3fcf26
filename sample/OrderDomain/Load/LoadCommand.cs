namespace OrderDomain.Load;

public static class LoadCommand
{
    public static Task<int> RunAsync(string[] args, CancellationToken ct) => Task.FromResult(0);
}
