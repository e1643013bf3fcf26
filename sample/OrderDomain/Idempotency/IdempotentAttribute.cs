namespace OrderDomain.Idempotency;

/// <summary>
/// Marks endpoints (a method, or every endpoint of a class) whose requests honour the <c>Idempotency-Key</c>
/// header with Stripe's semantics: the first answer is recorded and replayed to every duplicate
/// (<see cref="IdempotencyMiddleware"/>). Wolverine copies the attribute into the endpoint metadata.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, Inherited = false)]
public sealed class IdempotentAttribute : Attribute;
