// libtorch has one global random generator: seeded builds and sampling in parallel test classes would
// draw from it in turn and become flaky. These tests are fast; run them one class at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
