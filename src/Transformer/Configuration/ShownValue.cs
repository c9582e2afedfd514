// A value already written as the user should see it in a ConfigException (ConfigException quotes strings).
namespace Transformer.Configuration;

internal sealed record ShownValue(string Text)
{
    public override string ToString() => Text;
}
