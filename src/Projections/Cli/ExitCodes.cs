namespace EventSourcing.Projections.Cli;

/// <summary>Exit codes of the <c>projections</c> CLI.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The command ran and failed (e.g. a dead letter failed again, the database is unreachable).</summary>
    public const int Failed = 1;

    /// <summary>Bad input: unknown command, option or projection, malformed value.</summary>
    public const int BadInput = 2;
}
