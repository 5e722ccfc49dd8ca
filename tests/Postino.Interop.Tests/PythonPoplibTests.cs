using System.Text.Json;

namespace Postino.Interop.Tests;

/// <summary>Python's poplib against the real <c>postino serve</c>.</summary>
public class PythonPoplibTests
{
    private const string Script = """
        import json, poplib, sys
        port, password = int(sys.argv[1]), sys.argv[2]
        p = poplib.POP3("127.0.0.1", port, timeout=30)
        out = {"welcome": p.getwelcome().decode()}
        p.user("demo")
        p.pass_(password)
        out["stat"] = list(p.stat())
        out["list"] = [l.decode() for l in p.list()[1]]
        out["uidl"] = [l.decode() for l in p.uidl()[1]]
        out["retr"] = [l.decode("utf-8", "replace") for l in p.retr(2)[1]]
        out["top"] = [l.decode() for l in p.top(2, 1)[1]]
        out["dele"] = p.dele(1).decode()
        out["stat_after_dele"] = list(p.stat())
        out["quit"] = p.quit().decode()
        p = poplib.POP3("127.0.0.1", port, timeout=30)
        p.user("demo")
        p.pass_(password)
        out["stat_next_session"] = list(p.stat())
        p.quit()
        print(json.dumps(out))
        """;

    [Fact]
    public async Task Stat_list_uidl_retr_top_dele_quit()
    {
        await using var server = await PostinoProcess.StartAsync();
        const string message = "Subject: py\n\n.leading dot\nsecond\nthird\n";
        MaildirDrop.Put(server.DataDir, "demo", message);

        var (exit, stdout, stderr) = await ExternalProgram.RunAsync(
            "python3", ["-c", Script, server.Port("pop3").ToString(System.Globalization.CultureInfo.InvariantCulture), server.DemoPassword]);
        Assert.True(exit == 0, stderr);
        using var result = JsonDocument.Parse(stdout);
        var root = result.RootElement;
        Assert.StartsWith("+OK", root.GetProperty("welcome").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, root.GetProperty("stat")[0].GetInt32());
        Assert.Equal(2, root.GetProperty("list").GetArrayLength());
        Assert.Equal(2, root.GetProperty("uidl").GetArrayLength());
        var retr = root.GetProperty("retr").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Equal(["Subject: py", "", ".leading dot", "second", "third"], retr);
        var top = root.GetProperty("top").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Equal(["Subject: py", "", ".leading dot"], top);
        Assert.StartsWith("+OK", root.GetProperty("dele").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, root.GetProperty("stat_after_dele")[0].GetInt32());
        Assert.StartsWith("+OK", root.GetProperty("quit").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, root.GetProperty("stat_next_session")[0].GetInt32());
    }
}
