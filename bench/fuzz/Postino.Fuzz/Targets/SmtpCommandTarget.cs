using Postino.Protocols.Smtp;

namespace Postino.Fuzz.Targets;

/// <summary>The SMTP/LMTP command reader and the MAIL/RCPT argument parser, on whatever a client sends.</summary>
internal static class SmtpCommandTarget
{
    public static void Run(byte[] input)
    {
        var reader = new SmtpCommandReader();
        var buffer = Chunks.Split(input);
        SmtpReadStatus status;
        while ((status = reader.TryRead(ref buffer, out var command)) != SmtpReadStatus.NeedMoreData)
        {
            if (status != SmtpReadStatus.Command)
            {
                continue;
            }

            SmtpArgumentParser.TryParseMailFrom(command.Argument, out _);
            SmtpArgumentParser.TryParseRcptTo(command.Argument, out _);
            SmtpAddress.TryParse(command.Argument);
        }
    }
}
