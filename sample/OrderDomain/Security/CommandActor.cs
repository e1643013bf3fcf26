using System.Security.Claims;
using EventSourcing.EventStore;

namespace OrderDomain.Security;

/// <summary>The authenticated caller of the current request, as the event headers that record who caused an event.</summary>
public sealed class CommandActor(IHttpContextAccessor http)
{
    /// <summary>The actor headers of the current request's caller, or null outside a request or for an anonymous one.</summary>
    public IReadOnlyDictionary<string, object>? Headers() => HeadersOf(http.HttpContext?.User);

    public static IReadOnlyDictionary<string, object>? HeadersOf(ClaimsPrincipal? user)
    {
        if (user?.Identity is not { IsAuthenticated: true } || user.FindFirst(OrderRoles.SubjectClaim)?.Value is not { Length: > 0 } subject)
            return null;
        var client = user.FindFirst(OrderRoles.ClientIdClaim)?.Value ?? user.FindFirst(OrderRoles.AuthorizedPartyClaim)?.Value;
        return ActorHeaders.For(subject, client);
    }
}
