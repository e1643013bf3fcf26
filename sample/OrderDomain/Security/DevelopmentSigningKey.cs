using System.Security.Cryptography;
using OrderDomain.Hosting;

namespace OrderDomain.Security;

/// <summary>
/// The development signing key: 32 random bytes, base64, in <c>.local/orderdomain-signing-key</c> of the
/// repository (git-ignored), created on first use with owner-only permissions. The service, the demo, the
/// load generator and the <c>token</c> command all read the same file, so a token one of them issues is
/// accepted by the others.
/// </summary>
public static class DevelopmentSigningKey
{
    public const string FileName = "orderdomain-signing-key";

    /// <summary>The configured file, or <c>.local/orderdomain-signing-key</c> under the nearest directory holding <c>.git</c> (else the current one).</summary>
    public static string PathFor(OrderAuthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.DevelopmentKeyFile is { } configured)
            return Path.GetFullPath(configured);
        var root = Directory.GetCurrentDirectory();
        for (var dir = new DirectoryInfo(root); dir is not null; dir = dir.Parent)
        {
            if (Path.Exists(Path.Combine(dir.FullName, ".git")))
            {
                root = dir.FullName;
                break;
            }
        }

        return Path.Combine(root, ".local", FileName);
    }

    /// <summary>
    /// Reads the key, creating it when the file does not exist yet. Several processes may race: the file is created
    /// with O_CREAT|O_EXCL (<see cref="FileMode.CreateNew"/>), so exactly one creator wins, and it holds an exclusive
    /// lock while it writes; the others read the winner's key once it is complete. (A temporary file moved into place
    /// is not enough: where the file system refuses hard links, .NET's non-overwriting move checks, then renames.)
    /// </summary>
    public static byte[] LoadOrCreate(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            if (TryCreate(path) is { } created)
                return created;
            try
            {
                if (new FileInfo(path).Length > 0)
                    return Read(path);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                // the creator still holds its lock: read it on the next turn
            }

            if (DateTime.UtcNow >= deadline)
                throw new InvalidSettingException($"the development signing key {path} stayed empty for 10 s; delete it and a new one is created");
            Thread.Sleep(10); // a deliberate, bounded back-off while another process writes the key
        }
    }

    private static byte[]? TryCreate(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        FileStream stream;
        try
        {
            stream = new FileStream(path, options);
        }
        catch (IOException) when (File.Exists(path))
        {
            return null; // another process created it first: use theirs
        }

        using (stream)
        {
            var key = RandomNumberGenerator.GetBytes(32);
            stream.Write(System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(key)));
            stream.Flush(flushToDisk: true);
            return key;
        }
    }

    private static byte[] Read(string path)
    {
        var text = File.ReadAllText(path).Trim();
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out var written) && written >= 32
            ? buffer[..written]
            : throw new InvalidSettingException($"the development signing key {path} is not base64 of at least 32 bytes; delete it and a new one is created");
    }
}
