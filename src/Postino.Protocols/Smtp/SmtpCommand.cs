namespace Postino.Protocols.Smtp;

/// <summary>One command line: the verb and the rest of the line after the first space (may be empty).</summary>
/// <param name="Name">The verb as sent (upper-cased), kept for replies about unknown commands.</param>
public readonly record struct SmtpCommand(SmtpVerb Verb, string Name, string Argument);
