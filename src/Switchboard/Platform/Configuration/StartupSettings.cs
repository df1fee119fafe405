namespace Switchboard.Platform.Configuration;

/// <summary>
/// Checks every setting registered with <c>ValidateOnStart</c> before startup touches the database, and turns the
/// failures into the single line the command line prints. Each validation message names its setting
/// (<c>Jobs:Concurrency must be between 1 and 256.</c>), and so does the binder's message for a value of the wrong type.
/// </summary>
public sealed class StartupSettings(IStartupValidator validator)
{
    public void Validate()
    {
        try
        {
            validator.Validate();
        }
        catch (OptionsValidationException e)
        {
            throw new StartupException(e.Message);
        }
        catch (AggregateException e)
        {
            throw new StartupException(string.Join("; ", e.InnerExceptions.Select(inner => inner.Message)));
        }
        catch (InvalidOperationException e)
        {
            // The configuration binder: "Failed to convert configuration value 'x' at 'Jobs:Enabled' to type 'System.Boolean'."
            throw new StartupException($"Invalid setting: {e.Message}");
        }
    }
}
