using Postino.Protocols.Pop3;

namespace Postino.Server.Pop3.Lang;

/// <summary>
/// LANG [range] (RFC 6856 section 3): without an argument lists the languages; with one switches this session's reply
/// texts and answers "+OK tag text" in the new language; "*" goes back to the default.
/// </summary>
public sealed class LangCommand : IPop3Command
{
    public string Verb => "LANG";

    public Pop3States AllowedIn => Pop3States.Authorization | Pop3States.Transaction;

    public ValueTask ExecuteAsync(Pop3Session session, Pop3Command command, CancellationToken cancellationToken)
    {
        if (command.Args.Count == 0)
        {
            Pop3ReplyWriter.WriteMultiLine(
                session.Output, session.Texts[Pop3TextKey.LanguageList], Pop3Languages.Listing.Select(l => l.Tag + " " + l.Name));
        }
        else if (command.Args.Count > 1)
        {
            session.Reject(Pop3TextKey.ArgumentsTooMany);
        }
        else if (Pop3Languages.Select(command.Args[0]) is { } texts)
        {
            session.Texts = texts;
            session.OkData(texts.Language + " " + texts[Pop3TextKey.LanguageChanged]);
        }
        else
        {
            session.Reject(Pop3TextKey.LanguageUnsupported);
        }

        return ValueTask.CompletedTask;
    }
}
