// The scenarios share one dedicated PostgreSQL cluster and one of them restarts it: they run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
