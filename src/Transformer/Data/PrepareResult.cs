// What DatasetPreparer.Prepare did: nothing (the output was up to date) or a (re)build, and why.
using Transformer.Data.Shards;

namespace Transformer.Data;

public sealed record PrepareResult(string Directory, DatasetMeta Meta, bool UpToDate, string Message);
