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

    /// <summary>Reads the key, creating it when the file does not exist yet (several processes may race: the first file wins).</summary>
    public static byte[] LoadOrCreate(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (File.Exists(path))
            return Read(path);

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var writer = new StreamWriter(temporary, System.Text.Encoding.ASCII, options))
            writer.Write(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        try
        {
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary); // another process created it first: use theirs
        }

        return Read(path);
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
