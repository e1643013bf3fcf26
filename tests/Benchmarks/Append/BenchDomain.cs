using EventSourcing.EventStore;
using EventSourcing.EventStore.Deciders;
using EventSourcing.EventStore.Naming;

namespace EventSourcing.Benchmarks.Append;

[EventName("bench.account-opened")]
public sealed record AccountOpened(Guid AccountId, string Owner);

[EventName("bench.deposited")]
public sealed record Deposited(Guid AccountId, decimal Amount, string Reference);

public sealed record Deposit(decimal Amount, string Reference);

public sealed record Account(bool Open, decimal Balance, int Deposits)
{
    public static Account Initial { get; } = new(false, 0, 0);
}

/// <summary>A small account decider: the load/decide/append work a command handler does.</summary>
public static class Accounts
{
    public static Decider<Account, Deposit> Decider { get; } = new("account", Account.Initial,
        (command, state) => state.Open
            ? [new Deposited(Guid.Empty, command.Amount, command.Reference)]
            : throw new InvalidOperationException("account is not open"),
        (state, @event) => @event switch
        {
            AccountOpened => state with { Open = true },
            Deposited d => state with { Balance = state.Balance + d.Amount, Deposits = state.Deposits + 1 },
            _ => throw new ArgumentOutOfRangeException(nameof(@event), @event, "unknown event"),
        });

    public static EventStoreOptions Options(string connectionString, string schema)
    {
        var options = new EventStoreOptions { ConnectionString = connectionString, SchemaName = schema };
        options.Events.Register<AccountOpened>().Register<Deposited>();
        return options;
    }

    public static object[] History(Guid id, int events)
    {
        var list = new object[events];
        list[0] = new AccountOpened(id, "owner");
        for (var i = 1; i < events; i++)
            list[i] = new Deposited(id, i, "ref-" + i);
        return list;
    }
}
