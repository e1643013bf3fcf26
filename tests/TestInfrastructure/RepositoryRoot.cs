namespace EventSourcing.TestInfrastructure;

/// <summary>Finds the repository root (the folder holding EventSourcing.sln) from the test binaries.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "EventSourcing.sln")))
                return dir.FullName;
        }

        throw new InvalidOperationException(
            $"EventSourcing.sln was not found above {AppContext.BaseDirectory}; run the tests from a clone of the repository.");
    }
}
