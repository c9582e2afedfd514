// Each test starts processes that train; running them one at a time keeps the 2-core machine responsive.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
