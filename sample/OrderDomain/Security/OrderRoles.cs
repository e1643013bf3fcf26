namespace OrderDomain.Security;

/// <summary>
/// The roles a caller's token carries (claim <see cref="RolesClaim"/>), each also the name of the
/// authorisation policy that requires it. A role does not imply another: a writer that reads holds both.
/// </summary>
public static class OrderRoles
{
    /// <summary>Read orders, their event history, search and customers.</summary>
    public const string Read = "orders:read";

    /// <summary>Send order commands: place, add and remove items, pay, ship, cancel.</summary>
    public const string Write = "orders:write";

    /// <summary>Operate the service: projection status and every route under <c>/operations</c>.</summary>
    public const string Operations = "operations";

    public static IReadOnlyList<string> All { get; } = [Read, Write, Operations];

    /// <summary>The JWT claim that lists the roles (a JSON array of strings, or one string).</summary>
    public const string RolesClaim = "roles";

    /// <summary>The JWT claim that names the caller; recorded on every event it causes.</summary>
    public const string SubjectClaim = "sub";

    /// <summary>The OAuth client a service token was issued to (RFC 9068); <see cref="AuthorizedPartyClaim"/> is the OIDC fallback.</summary>
    public const string ClientIdClaim = "client_id";

    public const string AuthorizedPartyClaim = "azp";
}
