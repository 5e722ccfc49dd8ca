namespace Postino.Cli.Configuration;

/// <summary>A configuration value that stops the start; the message names the option and the problem.</summary>
internal sealed class ConfigurationProblem(string message) : Exception(message);
