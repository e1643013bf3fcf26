using OrderDomain.Hosting;

return await OrderProgram.RunAsync(args, CancellationToken.None);

/// <summary>The entry point (also what WebApplicationFactory boots in the HTTP tests).</summary>
public partial class Program;
