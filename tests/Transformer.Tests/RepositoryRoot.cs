// Locates the repository (the folder holding Transformer.sln) from the test's output directory.
namespace Transformer.Tests;

internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Transformer.sln"))) return dir.FullName;
        throw new InvalidOperationException($"Transformer.sln not found above {AppContext.BaseDirectory}");
    }
}
