#!/usr/bin/env -S dotnet run
// Tokenizer benchmark: BPE training time (6 MB to an 8k vocabulary, one thread) and encoding throughput
// (one thread, all threads). Without a corpus path it generates English-like text deterministically.
//   dotnet run scripts/bench-tokenizer.cs [corpus.txt]        → progress on stderr, one JSON line on stdout
#:project ../src/Transformer/Transformer.csproj
#:property Configuration=Release
#:property PublishAot=false

Console.WriteLine(Transformer.Text.TokenizerBenchmark.Run(Console.Error, args.Length > 0 ? args[0] : null));
