// libtorch has one CPU random generator and one intra-op thread count per process. Many classes here
// seed the generator and then draw from it (init, dropout, optimizer resume, sampling); run in
// parallel, another class's draws land between a seed and its use and the expected values differ.
// These tests are fast: run them one class at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
