using OrderDomain.Hosting;

namespace OrderDomain.Security;

/// <summary>
/// Load shedding on the command routes (configuration section <c>Orders:RateLimit</c>): a token bucket per
/// caller that refills <see cref="PermitsPerSecond"/> a second and holds at most <see cref="Burst"/>.
/// <c>PermitsPerSecond = 0</c> turns it off.
/// </summary>
public sealed record RateLimitOptions
{
    public const string Section = OrderServiceOptions.Section + ":RateLimit";

    public int PermitsPerSecond { get; init; } = 500;

    public int Burst { get; init; } = 1000;

    public bool Enabled => PermitsPerSecond > 0;

    public RateLimitOptions Validate()
    {
        if (PermitsPerSecond < 0)
            throw new InvalidSettingException($"{Section}:PermitsPerSecond must be 0 (off) or more, was {PermitsPerSecond}");
        if (Enabled && Burst < 1)
            throw new InvalidSettingException($"{Section}:Burst must be 1 or more while the rate limit is on, was {Burst}");
        return this;
    }

    public static RateLimitOptions From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(Section);
        var defaults = new RateLimitOptions();
        return new RateLimitOptions
        {
            PermitsPerSecond = Int(section, nameof(PermitsPerSecond), defaults.PermitsPerSecond),
            Burst = Int(section, nameof(Burst), defaults.Burst),
        }.Validate();
    }

    private static int Int(IConfiguration section, string name, int fallback) => section[name] switch
    {
        null or "" => fallback,
        var text when int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value) => value,
        var text => throw new InvalidSettingException($"{Section}:{name} must be a whole number, was '{text}'"),
    };
}
