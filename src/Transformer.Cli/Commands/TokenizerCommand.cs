// transformer tokenizer train FILES... --output tokenizer.json [--kind bpe|word|char] [--vocab-size N]
// [--min-frequency N] [--lowercase]: trains a tokenizer on text files (one text per line) and saves it in
// Hugging Face's tokenizer.json format.
using System.CommandLine;
using Transformer.Configuration;
using Transformer.Text;

namespace Transformer.Cli.Commands;

internal static class TokenizerCommand
{
    public static Command Create()
    {
        var files = new Argument<FileInfo[]>("files") { Description = "Text files, one text per line", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--output") { Description = "Where to write tokenizer.json", Required = true };
        var kind = new Option<string>("--kind") { Description = "bpe (byte-level), word or char", DefaultValueFactory = _ => "bpe" };
        kind.AcceptOnlyFromAmong("bpe", "word", "char");
        var vocabSize = new Option<int>("--vocab-size") { Description = "Target vocabulary size, special tokens included", DefaultValueFactory = _ => 8000 };
        var minFrequency = new Option<int>("--min-frequency") { Description = "Keep tokens/merges seen at least this often", DefaultValueFactory = _ => 2 };
        var lowercase = new Option<bool>("--lowercase") { Description = "Lowercase words (word-level only)" };
        var train = new Command("train", "Train a tokenizer and save it as tokenizer.json.") { files, output, kind, vocabSize, minFrequency, lowercase };
        train.SetAction(parse => Train(parse.GetValue(files)!, parse.GetValue(output)!, parse.GetValue(kind)!, parse.GetValue(vocabSize),
            parse.GetValue(minFrequency), parse.GetValue(lowercase)));
        return new Command("tokenizer", "Tokenizer tools.") { train };
    }

    private static int Train(FileInfo[] files, string output, string kind, int vocabSize, int minFrequency, bool lowercase)
    {
        foreach (var f in files)
            if (!f.Exists) throw new CliException($"{f.FullName}: no such file");
        var minimum = TokenizerConfig.MinimumVocabSize(kind switch { "bpe" => TokenizerKind.Bpe, "word" => TokenizerKind.Word, _ => TokenizerKind.Char });
        if (vocabSize < minimum)
            throw new CliException($"--vocab-size must be at least {minimum} for a {kind} tokenizer{(kind == "bpe" ? " (256 byte tokens and 4 special tokens)" : " (4 special tokens and one more)")}, got {vocabSize}");
        if (minFrequency < 1) throw new CliException($"--min-frequency must be positive, got {minFrequency}");
        var texts = files.SelectMany(f => File.ReadLines(f.FullName)).Where(line => line.Length > 0).ToList();
        Tokenizer tokenizer = kind switch
        {
            "bpe" => BpeTokenizer.Train(texts, new BpeTrainerOptions { VocabSize = vocabSize, MinFrequency = minFrequency }),
            "word" => WordLevelTokenizer.TrainWords(texts, new WordLevelTrainerOptions { VocabSize = vocabSize, MinFrequency = minFrequency, Lowercase = lowercase }),
            _ => WordLevelTokenizer.TrainCharacters(texts, new CharLevelTrainerOptions { VocabSize = vocabSize, MinFrequency = minFrequency }),
        };
        tokenizer.Save(output);
        Console.WriteLine($"{output}: {kind} tokenizer, {tokenizer.VocabSize:N0} tokens, trained on {texts.Count:N0} lines of {files.Length} file(s)");
        return ExitCodes.Success;
    }
}
