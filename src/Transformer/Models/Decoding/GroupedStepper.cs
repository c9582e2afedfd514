// One batch made of independent sub-batches, each with its own stepper (e.g. prompts grouped by
// length, so each group needs no padding): every step splits the tokens by group, steps each group
// and puts the rows back in batch order; Reorder may move rows anywhere, each keeps its group.
using static TorchSharp.torch;

namespace Transformer.Models.Decoding;

internal sealed class GroupedStepper : IDecoderStep
{
    private readonly List<Group> groups;

    private sealed class Group(IDecoderStep stepper, long[] rows)
    {
        public IDecoderStep Stepper { get; } = stepper;
        /// <summary>The batch rows this group's rows are, in the group's order.</summary>
        public long[] Rows { get; set; } = rows;
    }

    /// <param name="groups">Each sub-stepper with the batch rows its inputs stand for (together 0 … B − 1, each once).</param>
    public GroupedStepper(IReadOnlyList<(int[] rows, IDecoderStep stepper)> groups)
    {
        this.groups = groups.Select(g => new Group(g.stepper, g.rows.Select(r => (long)r).ToArray())).ToList();
        BatchSize = groups.Sum(g => g.rows.Length);
        var all = this.groups.SelectMany(g => g.Rows).Order().ToArray();
        if (!all.SequenceEqual(Enumerable.Range(0, BatchSize).Select(r => (long)r)))
            throw new ArgumentException("the groups' rows must cover the batch rows 0 … B − 1 exactly once");
        VocabSize = groups[0].stepper.VocabSize;
    }

    public int BatchSize { get; private set; }
    public long VocabSize { get; }

    public Tensor Start() => Assemble(g => g.Stepper.Start());

    public Tensor Step(Tensor tokens) => Assemble(g =>
    {
        using var rows = DecodingMath.Indices(g.Rows, tokens.device);
        using var own = tokens.index_select(0, rows);
        return g.Stepper.Step(own);
    });

    /// <summary>Runs every group and returns their rows in batch order (B, V).</summary>
    private Tensor Assemble(Func<Group, Tensor> run)
    {
        using var scope = NewDisposeScope();
        var parts = groups.Select(run).ToList();
        var joined = cat(parts, 0);                                    // rows in group order
        var position = new long[BatchSize];                            // batch row → row of joined
        var offset = 0L;
        foreach (var g in groups)
        {
            for (var i = 0; i < g.Rows.Length; i++) position[g.Rows[i]] = offset + i;
            offset += g.Rows.Length;
        }
        return scope.MoveToOuter(joined.index_select(0, DecodingMath.Indices(position, joined.device)));
    }

    public void Reorder(Tensor indices)
    {
        var old = indices.cpu().data<long>().ToArray();
        var owner = new (Group group, long local)[BatchSize];          // old batch row → its group and row there
        foreach (var g in groups)
            for (var i = 0; i < g.Rows.Length; i++) owner[g.Rows[i]] = (g, i);
        var newRows = groups.ToDictionary(g => g, _ => new List<long>());
        var locals = groups.ToDictionary(g => g, _ => new List<long>());
        for (var r = 0; r < old.Length; r++)
        {
            var (g, local) = owner[old[r]];
            newRows[g].Add(r);
            locals[g].Add(local);
        }
        foreach (var g in groups.ToList())
        {
            if (newRows[g].Count == 0)
            {
                g.Stepper.Dispose();
                groups.Remove(g);
                continue;
            }
            using var local = DecodingMath.Indices(locals[g], indices.device);
            g.Stepper.Reorder(local);
            g.Rows = newRows[g].ToArray();
        }
        BatchSize = old.Length;
    }

    public void Dispose()
    {
        foreach (var g in groups) g.Stepper.Dispose();
        groups.Clear();
    }
}
