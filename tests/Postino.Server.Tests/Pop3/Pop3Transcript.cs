using System.Globalization;
using Postino.Server.Auth;
using Postino.Server.Tests.Transcripts;
using Postino.Storage;

namespace Postino.Server.Tests.Pop3;

/// <summary>
/// What a transcript's fixtures and expectations mean on POP3 (tests/transcripts/README.md): the fixtures fill the
/// host's fake authenticator, user directory and in-memory store (which a real-store backend then copies); the
/// expectations read the in-memory mailboxes (which a real-store backend fills from the real store first).
/// </summary>
public static class Pop3Transcript
{
    public static Transcript Load(string name)
    {
        var transcript = Transcript.Load("pop3", name);
        transcript.Require("user", "user-hashed", "login-outcome", "locked", "open-fails", "commit-fails", "option", "message", "committed", "not-committed", "unlocked");
        return transcript;
    }

    public static void Arrange(Transcript transcript, Pop3TestHost host)
    {
        foreach (var line in transcript.Fixtures)
        {
            var user = TranscriptText.Unescape(line.Word(0));
            switch (line.Name)
            {
                case "user":
                    host.AddUser(user, TranscriptText.Expand(line.After(1)));
                    break;
                case "user-hashed":
                    host.Authenticator.Passwords[user] = line.After(1);
                    host.Directory.Add(user, "{SHA512-CRYPT}$6$notplain");
                    break;
                case "login-outcome":
                    host.Authenticator.ForcedOutcomes[user] = Enum.Parse<AuthenticationOutcome>(line.Word(1));
                    break;
                case "locked":
                    host.Store.Mailbox(user).IsLocked = true;
                    break;
                case "open-fails":
                    host.Store.Mailbox(user).OpenFailure = Failure(line.Word(1));
                    break;
                case "commit-fails":
                    host.Store.Mailbox(user).CommitFailure = Failure(line.Word(1));
                    break;
                case "message":
                    host.Store.Mailbox(user, line.Word(1)).Add(line.Field("uidl") ?? throw new FormatException($"{line.Where}: a POP3 message needs uidl="), line.Content!);
                    break;
                case "option":
                    Option(host.Options, line);
                    break;
            }
        }
    }

    /// <summary>Checks the expectations against the in-memory mailboxes.</summary>
    public static void Check(Transcript transcript, Pop3TestHost host)
    {
        foreach (var line in transcript.Expectations)
        {
            var mailbox = host.Store.Mailbox(TranscriptText.Unescape(line.Word(0)));
            switch (line.Name)
            {
                case "not-committed":
                    Assert.Equal(0, mailbox.CommitCount);
                    break;
                case "unlocked":
                    Assert.False(mailbox.IsLocked);
                    break;
                case "committed":
                    Assert.Equal(1, mailbox.CommitCount);
                    Assert.Equal(List(line.Field("deleted")), mailbox.DeletedUidls);
                    Assert.Equal(List(line.Field("retrieved")), mailbox.RetrievedUidls);
                    break;
            }
        }
    }

    private static void Option(Server.Pop3.Pop3Options options, TranscriptLine line)
    {
        switch (line.Word(0))
        {
            case "apop":
                options.EnableApop = true;
                break;
            case "login-delay":
                options.LoginDelaySeconds = int.Parse(line.Word(1), CultureInfo.InvariantCulture);
                break;
            case "max-bad-commands":
                options.MaxBadCommands = int.Parse(line.Word(1), CultureInfo.InvariantCulture);
                break;
            default:
                throw new FormatException($"{line.Where}: unknown POP3 option {line.Word(0)}");
        }
    }

    private static StorageException Failure(string kind) =>
        new("injected failure") { IsTemporary = kind != "perm" };

    private static string[] List(string? field) => string.IsNullOrEmpty(field) ? [] : field.Split(',');
}
