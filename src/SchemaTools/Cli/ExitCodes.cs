namespace EventSourcing.SchemaTools.Cli;

/// <summary>The exit codes of every command.</summary>
public static class ExitCodes
{
    /// <summary>Everything compatible (or the command did its work).</summary>
    public const int Ok = 0;

    /// <summary>Incompatible: one line per violation on stdout.</summary>
    public const int Incompatible = 1;

    /// <summary>Bad input: unreadable schema, missing file, bad option, unreachable registry; the message is on stderr.</summary>
    public const int BadInput = 2;
}

/// <summary>Bad input that ends a command with exit code 2 and this message.</summary>
public sealed class CliInputException : Exception
{
    public CliInputException(string message)
        : base(message)
    {
    }

    public CliInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CliInputException()
    {
    }
}
