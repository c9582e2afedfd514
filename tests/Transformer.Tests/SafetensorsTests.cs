using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

using Transformer.Engine;

namespace Transformer.Tests;

public sealed class SafetensorsTests : IDisposable
{
    private const string Python = "/usr/bin/python3";
    private readonly string dir = Directory.CreateTempSubdirectory("safetensors-tests-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    // ---- the reference tensors: the same formulas as EXPECTED in scripts/safetensors_ref.py ----

    private sealed record Expected(string Name, ScalarType Dtype, long[] Shape, byte[] Bytes, Func<Tensor> Create);

    private static readonly Dictionary<string, string> ReferenceMetadata = new()
    {
        ["format"] = "pt", ["source"] = "safetensors_ref.py", ["unicode"] = "h\u00e9llo \u2713",
    };

    private static byte[] AsBytes<T>(T[] values) where T : unmanaged => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    private static Expected Typed<T>(string name, ScalarType dtype, long[] shape, T[] values) where T : unmanaged =>
        new(name, dtype, shape, AsBytes(values), () => values switch
        {
            float[] v => tensor(v, shape),
            double[] v => tensor(v, shape),
            long[] v => tensor(v, shape),
            int[] v => tensor(v, shape),
            short[] v => tensor(v, shape),
            // The runtime lets byte[] and sbyte[] pass as each other, so ask the static type.
            byte[] v when typeof(T) == typeof(byte) => tensor(v, shape),
            sbyte[] v when typeof(T) == typeof(sbyte) => tensor(v, shape),
            bool[] v => tensor(v, shape),
            Half[] v => tensor(v.Select(h => (float)h).ToArray(), shape).to(ScalarType.Float16),
            _ => throw new NotSupportedException(typeof(T).Name),
        });

    private static Expected Bits<T>(string name, ScalarType dtype, long[] shape, T[] bits) where T : unmanaged =>
        new(name, dtype, shape, AsBytes(bits), () => TensorBytes.FromBytes(AsBytes(bits), shape, dtype));

    private static IReadOnlyList<Expected> ReferenceTensors()
    {
        var f32 = Enumerable.Range(0, 12).Select(i => (float)((i - 5.5) * 0.25)).ToArray();
        var bf16 = Enumerable.Range(0, 10).Select(i => (float)((i - 4.5) * 0.5)).ToArray();
        return new[]
        {
            // Created non-contiguous (the transpose of a transpose): the writer must store it row-major.
            new Expected("float32_matrix", float32, [3, 4], AsBytes(f32), () =>
            {
                using var rows = tensor(f32, new long[] { 3, 4 });
                using var columns = rows.t().contiguous();
                return columns.t();
            }),
            Bits("float32_special", float32, [7], new uint[] { 0x00000000, 0x80000000, 0x7F800000, 0xFF800000, 0x7FC00000, 0x00000001, 0x7F7FFFFF }),
            Typed("float64_values", float64, [2, 3], Enumerable.Range(0, 6).Select(i => (i - 2) / 3.0).ToArray()),
            Typed("float16_values", float16, [2, 3], Enumerable.Range(0, 6).Select(i => (Half)((i - 2.5) * 0.5)).ToArray()),
            Bits("float16_special", float16, [8], new ushort[] { 0x0000, 0x8000, 0x3C00, 0xC000, 0x7BFF, 0x0001, 0x7C00, 0x7E00 }),
            // The values are exact in bfloat16, so its bits are the float32 bits' upper half; libtorch converts.
            new Expected("bfloat16_values", bfloat16, [2, 5], AsBytes(bf16.Select(v => (ushort)(BitConverter.SingleToUInt32Bits(v) >> 16)).ToArray()),
                () => tensor(bf16, new long[] { 2, 5 }, dtype: bfloat16)),
            Bits("bfloat16_special", bfloat16, [8], new ushort[] { 0x0000, 0x8000, 0x3F80, 0x7F80, 0xFF80, 0x7FC0, 0x0001, 0x7F7F }),
            Typed("int64_extremes", int64, [8], new[] { 0, 1, -1, (1L << 53) + 1, -((1L << 53) + 1), (1L << 62) + 12345, long.MaxValue, long.MinValue }),
            Typed("int32_values", int32, [2, 3, 2], Enumerable.Range(0, 12).Select(i => (i - 6) * 123456789).ToArray()),
            Typed("int16_values", int16, [7], new short[] { -32768, -12345, -1, 0, 1, 12345, 32767 }),
            Typed("int8_values", int8, [2, 2, 2], new sbyte[] { -128, -1, 0, 1, 2, 63, 126, 127 }),
            Typed("uint8_values", uint8, [16], Enumerable.Range(0, 16).Select(i => (byte)(i * 17 % 256)).ToArray()),
            Typed("bool_values", @bool, [2, 3], Enumerable.Range(0, 6).Select(i => i % 3 == 0).ToArray()),
            new Expected("scalar_float32", float32, [], AsBytes(new[] { -7.75f }), () => tensor(-7.75f)),
            new Expected("empty_float32", float32, [3, 0, 2], [], () => zeros([3, 0, 2])),
        };
    }

    private static List<KeyValuePair<string, Tensor>> CreateReferenceTensors() =>
        ReferenceTensors().Select(e => KeyValuePair.Create(e.Name, e.Create())).ToList();

    private static int ElementSize(ScalarType t) => t switch
    {
        ScalarType.Float64 or ScalarType.Int64 => 8,
        ScalarType.Float32 or ScalarType.Int32 => 4,
        ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Int16 => 2,
        _ => 1,
    };

    private static void AssertMatchesReference(SafetensorsFile file)
    {
        var expected = ReferenceTensors();
        // File order is the writer's: element size descending, then name.
        var order = expected.OrderBy(e => -ElementSize(e.Dtype)).ThenBy(e => e.Name, StringComparer.Ordinal).Select(e => e.Name);
        Assert.Equal(order, file.Tensors.Keys);
        foreach (var e in expected)
        {
            var t = file[e.Name];
            Assert.Equal(e.Dtype, t.dtype);
            Assert.Equal(e.Shape, t.shape);
            Assert.True(e.Bytes.AsSpan().SequenceEqual(t.bytes.ToArray()), $"{e.Name}: {Convert.ToHexString(t.bytes.ToArray())} != {Convert.ToHexString(e.Bytes)}");
        }
    }

    // ---- helpers ----

    private static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Transformer.sln"))) return d.FullName;
        throw new InvalidOperationException($"no Transformer.sln above {AppContext.BaseDirectory}");
    }

    private static (int ExitCode, string Output) RunReference(string command, string file)
    {
        Assert.True(File.Exists(Python), $"{Python} is missing: the safetensors reference tests need it, with torch and numpy");
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(RepoRoot(), "scripts", "safetensors_ref.py"), command, file }) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(120_000), "safetensors_ref.py did not finish in 2 minutes");
        return (process.ExitCode, stdout + stderr.Result);
    }

    // Python starts slowly (torch): the tests that read its file share one run.
    private static readonly Lazy<byte[]> PythonWritten = new(() =>
    {
        var scratch = Directory.CreateTempSubdirectory("safetensors-python-").FullName;
        try
        {
            var path = Path.Combine(scratch, "python.safetensors");
            var (code, output) = RunReference("write", path);
            Assert.True(code == 0, $"safetensors_ref.py write failed ({code}): {output}");
            return File.ReadAllBytes(path);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    });

    private string PathOf(string name) => Path.Combine(dir, name);

    /// <summary>A file: the 8-byte length, the header text (unpadded), then the data.</summary>
    private static byte[] FileBytes(string header, int dataLength = 0) => FileBytes(Encoding.UTF8.GetBytes(header), new byte[dataLength]);

    private static byte[] FileBytes(byte[] header, byte[] data) =>
        [.. BitConverter.GetBytes((ulong)header.Length), .. header, .. data];

    private SafetensorsFormatException AssertRejected(byte[] contents, string problem)
    {
        var path = PathOf("bad.safetensors");
        File.WriteAllBytes(path, contents);
        var e = Assert.Throws<SafetensorsFormatException>(() => Safetensors.Load(path));
        Assert.StartsWith(path + ": ", e.Message);
        Assert.Contains(problem, e.Message);
        Assert.Equal(path, e.FileName);
        var fromBytes = Assert.Throws<SafetensorsFormatException>(() => Safetensors.Load(contents, name: "x.safetensors"));
        Assert.Equal("x.safetensors: " + e.Problem, fromBytes.Message);
        return e;
    }

    // ---- interoperability with the Python reference ----

    [Fact]
    public void Tensors_written_by_python_load_bit_exactly()
    {
        var path = PathOf("python.safetensors");
        File.WriteAllBytes(path, PythonWritten.Value);
        using var file = Safetensors.Load(path);
        AssertMatchesReference(file);
        Assert.Equal(ReferenceMetadata.OrderBy(m => m.Key), file.Metadata.OrderBy(m => m.Key));
    }

    [Fact]
    public void Tensors_written_by_csharp_pass_the_python_check()
    {
        using var scope = NewDisposeScope();
        var path = PathOf("csharp.safetensors");
        Safetensors.Save(path, CreateReferenceTensors(), ReferenceMetadata);
        var (code, output) = RunReference("check", path);
        Assert.True(code == 0 && output.Trim() == "OK", $"safetensors_ref.py check failed ({code}): {output}");
    }

    [Fact]
    public void The_python_check_reports_a_wrong_value()
    {
        using var scope = NewDisposeScope();
        var tensors = CreateReferenceTensors();
        var i = tensors.FindIndex(p => p.Key == "int64_extremes");
        tensors[i] = KeyValuePair.Create("int64_extremes", tensors[i].Value.add(1));
        var path = PathOf("wrong.safetensors");
        Safetensors.Save(path, tensors, ReferenceMetadata);
        var (code, output) = RunReference("check", path);
        Assert.Equal(1, code);
        Assert.Contains("MISMATCH", output);
        Assert.Contains("'int64_extremes' holds bytes", output);
    }

    [Fact]
    public void Files_written_by_csharp_and_python_are_byte_identical()
    {
        using var scope = NewDisposeScope();
        Assert.Equal(PythonWritten.Value, Safetensors.Serialize(CreateReferenceTensors(), ReferenceMetadata));
    }

    // ---- round trips ----

    [Fact]
    public void Every_dtype_round_trips_bit_exactly_through_a_file()
    {
        using var scope = NewDisposeScope();
        var path = PathOf("round.safetensors");
        Safetensors.Save(path, CreateReferenceTensors(), ReferenceMetadata);
        using var file = Safetensors.Load(path, CPU);
        AssertMatchesReference(file);
    }

    [Fact]
    public void Tensors_round_trip_through_a_stream_and_a_byte_array()
    {
        using var scope = NewDisposeScope();
        var tensors = CreateReferenceTensors();
        using var stream = new MemoryStream();
        stream.Write("prefix"u8);
        Safetensors.Save(stream, tensors);
        stream.Position = 6;
        using (var fromStream = Safetensors.Load(stream)) AssertMatchesReference(fromStream);
        using var fromBytes = Safetensors.Load(Safetensors.Serialize(tensors));
        AssertMatchesReference(fromBytes);
        Assert.Empty(fromBytes.Metadata);
    }

    [Fact]
    public void Metadata_round_trips()
    {
        using var scope = NewDisposeScope();
        var metadata = new Dictionary<string, string> { ["z"] = "last", ["a"] = "", ["quote\"back\\slash"] = "line\nbreak", ["\U0001F600"] = "\u00e9" };
        var path = PathOf("meta.safetensors");
        Safetensors.Save(path, [KeyValuePair.Create("x", ones(2))], metadata);
        using var file = Safetensors.Load(path);
        Assert.Equal(metadata.OrderBy(m => m.Key, StringComparer.Ordinal), file.Metadata.OrderBy(m => m.Key, StringComparer.Ordinal));
        Assert.Equal(metadata.Count, Safetensors.ReadHeader(path).Metadata.Count);
    }

    [Fact]
    public void A_file_without_tensors_round_trips()
    {
        var bytes = Safetensors.Serialize([], new Dictionary<string, string> { ["k"] = "v" });
        using var file = Safetensors.Load(bytes);
        Assert.Empty(file.Tensors);
        Assert.Equal("v", file.Metadata["k"]);
    }

    [Fact]
    public void Large_tensors_are_written_and_read_in_pieces()
    {
        using var scope = NewDisposeScope();
        // 3 × 1,000,003 float32 = 12 MB: more than one 8 MB piece; the transpose makes the writer copy it row-major.
        var big = arange(3_000_009, float32).view(1_000_003, 3).t();
        var flags = arange(8_400_001, int32).remainder(3).eq(0); // 8.4 MB of bool
        var path = PathOf("big.safetensors");
        Safetensors.Save(path, [KeyValuePair.Create("big", big), KeyValuePair.Create("flags", flags)]);
        using var file = Safetensors.Load(path);
        Assert.True(file["big"].Identical(big));
        Assert.True(file["big"].is_contiguous());
        Assert.True(file["flags"].Identical(flags));
    }

    [Fact]
    public void The_writer_lays_out_tensors_like_the_reference_implementation()
    {
        using var scope = NewDisposeScope();
        var bytes = Safetensors.Serialize([
            KeyValuePair.Create("b", ones([3], uint8)), KeyValuePair.Create("a", ones([3], uint8)),
            KeyValuePair.Create("c", ones([1], float64)), KeyValuePair.Create("d", ones([2], float16))]);
        var n = (long)BitConverter.ToUInt64(bytes);
        Assert.Equal(0, n % 8);
        Assert.EndsWith("}", Encoding.UTF8.GetString(bytes, 8, (int)n).TrimEnd(' '));
        using var file = Safetensors.Load(bytes);
        var header = file.Header;
        Assert.Equal(new[] { "c", "d", "a", "b" }, header.Names);
        Assert.Equal(new long[] { 0, 8, 12, 15 }, header.Tensors.Select(t => t.Begin));
        Assert.Equal(18, header.DataLength);
        Assert.Equal(8 + n + 18, bytes.Length);
    }

    [Fact]
    public void The_header_can_be_read_without_loading_the_data()
    {
        // The bool byte 7 would make Load fail: ReadHeader must not look at it.
        var path = PathOf("header.safetensors");
        var contents = FileBytes("""{"__metadata__":{"k":"v"},"w":{"dtype":"BF16","shape":[2,0],"data_offsets":[0,0]},"m":{"dtype":"BOOL","shape":[1],"data_offsets":[0,1]}}""", 1);
        contents[^1] = 7;
        File.WriteAllBytes(path, contents);
        var header = Safetensors.ReadHeader(path);
        Assert.Equal(new[] { "w", "m" }, header.Names);
        Assert.Equal(ScalarType.BFloat16, header["w"].Dtype);
        Assert.Equal(new long[] { 2, 0 }, header["w"].Shape);
        Assert.Equal(ScalarType.Bool, header["m"].Dtype);
        Assert.Equal(1, header["m"].ByteLength);
        Assert.Equal("v", header.Metadata["k"]);
        Assert.Throws<SafetensorsFormatException>(() => Safetensors.Load(path));
    }

    [Fact]
    public void Loaded_tensors_are_disposed_with_the_file_unless_removed()
    {
        var bytes = Safetensors.Serialize([KeyValuePair.Create("a", ones(2)), KeyValuePair.Create("b", zeros(3))]);
        Tensor a, b;
        using (var file = Safetensors.Load(bytes))
        {
            a = file["a"];
            Assert.True(file.Tensors.Remove("b", out b!));
        }
        Assert.True(a.IsInvalid);
        Assert.False(b.IsInvalid);
        Assert.Equal(new float[3], b.data<float>().ToArray());
        b.Dispose();
    }

    [Fact]
    public void Tensors_loaded_inside_a_dispose_scope_belong_to_it()
    {
        var bytes = Safetensors.Serialize([KeyValuePair.Create("a", ones(2)), KeyValuePair.Create("b", zeros(3))]);
        SafetensorsFile file;
        using (var scope = NewDisposeScope())
        {
            file = Safetensors.Load(bytes);
            Assert.Equal(2, scope.DisposablesCount);
        }
        Assert.All(file.Tensors.Values, t => Assert.True(t.IsInvalid));
        file.Dispose();
    }

    // ---- saving ----

    [Fact]
    public void Saving_replaces_an_existing_file_whole_and_leaves_no_temporary_file()
    {
        using var scope = NewDisposeScope();
        var path = PathOf("model.safetensors");
        Safetensors.Save(path, [KeyValuePair.Create("old", zeros(1000))]);
        Safetensors.Save(path, [KeyValuePair.Create("new", ones(2))]);
        using var file = Safetensors.Load(path);
        Assert.Equal(new[] { "new" }, file.Tensors.Keys);
        Assert.Equal(new[] { path }, Directory.GetFiles(dir));
    }

    [Theory]
    [InlineData("duplicate", "two tensors are named 'w'")]
    [InlineData("empty", "a tensor name is null or empty")]
    [InlineData("reserved", "'__metadata__' is reserved")]
    [InlineData("disposed", "tensor 'gone' is disposed")]
    [InlineData("null metadata value", "metadata keys and values cannot be null")]
    public void A_failed_save_leaves_the_existing_file_untouched(string mistake, string message)
    {
        using var scope = NewDisposeScope();
        var path = PathOf("model.safetensors");
        Safetensors.Save(path, [KeyValuePair.Create("good", ones(4))]);
        var before = File.ReadAllBytes(path);
        var gone = zeros(1);
        gone.Dispose();
        var w = ones(1);
        KeyValuePair<string, Tensor>[] tensors = mistake switch
        {
            "duplicate" => [KeyValuePair.Create("w", w), KeyValuePair.Create("w", w)],
            "empty" => [KeyValuePair.Create("", w)],
            "reserved" => [KeyValuePair.Create("__metadata__", w)],
            "disposed" => [KeyValuePair.Create("w", w), KeyValuePair.Create("gone", gone)],
            _ => [KeyValuePair.Create("w", w)],
        };
        var metadata = mistake == "null metadata value" ? new Dictionary<string, string> { ["k"] = null! } : null;
        var e = Assert.Throws<ArgumentException>(() => Safetensors.Save(path, tensors, metadata));
        Assert.Contains(message, e.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(new[] { path }, Directory.GetFiles(dir));
    }

    // ---- malformed files ----

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    public void A_file_shorter_than_8_bytes_is_rejected(int length) =>
        AssertRejected(new byte[length], $"file is {length} bytes long, too short for the 8-byte header length");

    [Fact]
    public void A_header_length_past_the_end_of_the_file_is_rejected() =>
        AssertRejected([.. BitConverter.GetBytes(100UL), .. "{}"u8], "header length 100 runs past the end of the file (2 bytes follow the 8-byte length)");

    [Fact]
    public void An_absurd_header_length_is_rejected() =>
        AssertRejected([.. BitConverter.GetBytes(ulong.MaxValue), .. "{}"u8], $"header length {ulong.MaxValue} runs past the end of the file");

    [Fact]
    public void A_header_length_over_the_limit_is_rejected_without_reading_it()
    {
        var path = PathOf("sparse.safetensors");
        using (var f = new FileStream(path, FileMode.CreateNew))
        {
            f.Write(BitConverter.GetBytes(150_000_000UL));
            f.SetLength(150_000_100); // sparse: costs no disk
        }
        var e = Assert.Throws<SafetensorsFormatException>(() => Safetensors.ReadHeader(path));
        Assert.Contains("header length 150000000 exceeds the 100000000-byte limit", e.Message);
    }

    [Fact]
    public void A_header_that_is_not_utf8_is_rejected() =>
        AssertRejected(FileBytes([.. "{\""u8, 0xFF, .. "\":{}}"u8], []), "header is not valid UTF-8");

    [Theory]
    [InlineData("{\"w\":", "header is not valid JSON")]
    [InlineData("", "header is not valid JSON")]
    [InlineData("{} x", "header is not valid JSON")]
    [InlineData("{\"w\" 1}", "header is not valid JSON")]
    [InlineData("{/*c*/}", "header is not valid JSON")]
    [InlineData("[]", "header is an array, not a JSON object")]
    [InlineData("\"text\"", "header is a string, not a JSON object")]
    public void A_header_that_is_not_a_json_object_is_rejected(string header, string problem) =>
        AssertRejected(FileBytes(header), problem);

    [Theory]
    [InlineData("""{"w":{"shape":[1],"data_offsets":[0,4]}}""", "tensor 'w' has no \"dtype\"")]
    [InlineData("""{"w":{"dtype":"F32","data_offsets":[0,4]}}""", "tensor 'w' has no \"shape\"")]
    [InlineData("""{"w":{"dtype":"F32","shape":[1]}}""", "tensor 'w' has no \"data_offsets\"")]
    public void An_entry_missing_a_field_is_rejected(string header, string problem) =>
        AssertRejected(FileBytes(header, 4), problem);

    [Theory]
    [InlineData("""{"w":[1]}""", "tensor 'w' is described by an array, not an object")]
    [InlineData("""{"w":{"dtype":32,"shape":[1],"data_offsets":[0,4]}}""", "tensor 'w' has a \"dtype\" that is a number, not a string")]
    [InlineData("""{"w":{"dtype":"F32","shape":"1","data_offsets":[0,4]}}""", "tensor 'w' has a \"shape\" that is a string, not an array of integers")]
    [InlineData("""{"w":{"dtype":"F32","shape":["1"],"data_offsets":[0,4]}}""", "tensor 'w' has a \"shape\" holding a string, not only integers")]
    [InlineData("""{"w":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}""", "tensor 'w' has dimension 1.5 in its \"shape\", which is not a 64-bit integer")]
    [InlineData("""{"w":{"dtype":"F32","shape":[1],"data_offsets":null}}""", "tensor 'w' has a \"data_offsets\" that is null, not an array of integers")]
    [InlineData("""{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4,8]}}""", "tensor 'w' has 3 data_offsets, not 2 ([begin, end])")]
    [InlineData("""{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,1e30]}}""", "tensor 'w' has offset 1e30 in its \"data_offsets\", which is not a 64-bit integer")]
    public void An_entry_with_wrong_json_types_is_rejected(string header, string problem) =>
        AssertRejected(FileBytes(header, 4), problem);

    [Fact]
    public void A_negative_dimension_is_rejected() =>
        AssertRejected(FileBytes("""{"w":{"dtype":"F32","shape":[-1,2],"data_offsets":[0,0]}}"""), "tensor 'w' has negative dimension -1 in its \"shape\"");

    [Fact]
    public void A_negative_offset_is_rejected() =>
        AssertRejected(FileBytes("""{"w":{"dtype":"U8","shape":[1],"data_offsets":[-1,0]}}""", 1), "tensor 'w' has negative offset -1 in its \"data_offsets\"");

    [Fact]
    public void Dimensions_whose_product_overflows_are_rejected() =>
        AssertRejected(FileBytes("""{"w":{"dtype":"U8","shape":[0,4294967296,4294967296],"data_offsets":[0,0]}}"""),
            "tensor 'w' has shape [0, 4294967296, 4294967296], whose dimensions multiply past 64 bits");

    [Theory]
    [InlineData("F31", "tensor 'w' has unknown dtype 'F31' (supported: F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL)")]
    [InlineData("f32", "tensor 'w' has unknown dtype 'f32'")]
    [InlineData("U16", "tensor 'w' has dtype 'U16', which this library does not support")]
    public void An_unknown_dtype_is_rejected(string dtype, string problem) =>
        AssertRejected(FileBytes($$$"""{"w":{"dtype":"{{{dtype}}}","shape":[2],"data_offsets":[0,4]}}""", 4), problem);

    [Fact]
    public void Offsets_whose_begin_is_past_their_end_are_rejected() =>
        AssertRejected(FileBytes("""{"w":{"dtype":"F32","shape":[1],"data_offsets":[8,4]}}""", 8), "tensor 'w' has data_offsets [8, 4] whose begin is past its end");

    [Fact]
    public void Offsets_past_the_data_section_are_rejected() =>
        AssertRejected(FileBytes("""{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}""", 8), "tensor 'w' has data_offsets [0, 16] past the end of the 8-byte data section");

    [Fact]
    public void Overlapping_tensors_are_rejected() =>
        AssertRejected(FileBytes("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", 12),
            "tensor 'b' (data_offsets [4, 12]) overlaps tensor 'a' (data_offsets [0, 8])");

    [Fact]
    public void An_empty_tensor_inside_another_is_rejected_as_overlapping() =>
        AssertRejected(FileBytes("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"e":{"dtype":"F32","shape":[0],"data_offsets":[4,4]}}""", 8),
            "tensor 'e' (data_offsets [4, 4]) overlaps tensor 'a'");

    [Theory]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}""", 12,
        "bytes [4, 8) of the data section belong to no tensor (a gap before tensor 'b')")]
    [InlineData("""{"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8, "bytes [0, 4) of the data section belong to no tensor (a gap before tensor 'b')")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", 6, "bytes [4, 6) of the data section belong to no tensor (after the last tensor)")]
    [InlineData("""{}""", 1, "bytes [0, 1) of the data section belong to no tensor (after the last tensor)")]
    public void Gaps_in_the_data_section_are_rejected(string header, int dataLength, string problem) =>
        AssertRejected(FileBytes(header, dataLength), problem);

    [Fact]
    public void A_size_that_does_not_match_dtype_and_shape_is_rejected() =>
        AssertRejected(FileBytes("""{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,12]}}""", 12), "tensor 'w' has data_offsets [0, 12] but float32 [2, 2] needs 16 bytes");

    [Theory]
    [InlineData("""{"__metadata__":["a"]}""", "__metadata__ is an array, not an object of strings")]
    [InlineData("""{"__metadata__":null}""", "__metadata__ is null, not an object of strings")]
    [InlineData("""{"__metadata__":{"epoch":3}}""", "__metadata__ entry 'epoch' is a number, not a string")]
    [InlineData("""{"__metadata__":{"k":{"nested":"v"}}}""", "__metadata__ entry 'k' is an object, not a string")]
    public void Metadata_that_is_not_a_string_map_is_rejected(string header, string problem) =>
        AssertRejected(FileBytes(header), problem);

    [Theory]
    [InlineData("""{"w":{"dtype":"U8","shape":[0],"data_offsets":[0,0]},"w":{"dtype":"U8","shape":[0],"data_offsets":[0,0]}}""", "duplicate key 'w' in the header")]
    [InlineData("""{"__metadata__":{},"__metadata__":{}}""", "duplicate key '__metadata__' in the header")]
    [InlineData("""{"w":{"dtype":"U8","dtype":"U8","shape":[0],"data_offsets":[0,0]}}""", "duplicate key 'dtype' in tensor 'w'")]
    [InlineData("""{"__metadata__":{"k":"a","k":"b"}}""", "duplicate key 'k' in __metadata__")]
    public void Duplicate_keys_are_rejected(string header, string problem) =>
        AssertRejected(FileBytes(header), problem);

    [Fact]
    public void Unknown_keys_in_an_entry_are_ignored()
    {
        using var file = Safetensors.Load(FileBytes("""{"w":{"extra":{"x":[1,{}]},"dtype":"U8","shape":[1],"data_offsets":[0,1]}}   """, 1));
        Assert.Equal([(byte)0], file["w"].data<byte>().ToArray());
    }

    [Fact]
    public void A_bool_byte_other_than_0_or_1_fails_the_load_and_frees_what_was_loaded()
    {
        using var scope = NewDisposeScope();
        var header = """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"m":{"dtype":"BOOL","shape":[3],"data_offsets":[8,11]}}""";
        byte[] contents = [.. FileBytes(header, 8), 1, 0, 2];
        AssertRejected(contents, "tensor 'm' (bool) holds byte 2 at element 2; bool elements must be 0 or 1");
        Assert.Equal(0, scope.DisposablesCount);
    }
}
