using System.CommandLine;
using Postino.Cli.Commands;

namespace Postino.Cli.Tests.Commands;

public sealed class ImportCommandTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("postino-import-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Imports_and_says_so_then_a_second_run_says_nothing_is_new_and_an_unknown_user_asks_to_try_again()
    {
        var maildir = Path.Combine(_root, "vmail", "alice", "Maildir");
        foreach (var sub in new[] { "tmp", "new", "cur" })
        {
            Directory.CreateDirectory(Path.Combine(maildir, sub));
        }

        await File.WriteAllTextAsync(Path.Combine(maildir, "cur", "1796513538.M1.test:2,S"), "Subject: 1\n\none\n");
        await File.WriteAllTextAsync(Path.Combine(maildir, "dovecot-uidlist"), "3 V1796513540 N2\n1 :1796513538.M1.test\n");
        await File.WriteAllTextAsync(Path.Combine(_root, "passwd"), "alice:{PLAIN}pw::::::\n");
        string[] import = ["import", "dovecot", "--users", Path.Combine(_root, "passwd"), "--mail-root", Path.Combine(_root, "vmail"), "--data-dir", Path.Combine(_root, "data")];

        var first = await RunAsync(import);
        var second = await RunAsync(import);
        var unknown = await RunAsync([.. import, "nobody"]);

        Assert.Equal(0, first.Code);
        Assert.Contains("alice: 1 message(s) imported (16 bytes), 0 already imported, 0 skipped, user added", first.Output, StringComparison.Ordinal);
        Assert.Contains("imported 1 user(s) and 1 message(s), 16 bytes; 0 skipped", first.Output, StringComparison.Ordinal);
        Assert.Equal(0, second.Code);
        Assert.Contains("nothing new to import (1 user(s), 1 message(s) already imported)", second.Output, StringComparison.Ordinal);
        Assert.Equal(75, unknown.Code);
        Assert.Contains("nobody: not in the passwd-file", unknown.Error, StringComparison.Ordinal);
        Assert.Contains("alice:{PLAIN}pw", await File.ReadAllTextAsync(Path.Combine(_root, "data", "users")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--mail-location", "mbox:~/mail", 64, "only maildir: locations")]
    [InlineData("--pop3-uidl-format", "%m", 64, "%m")]
    [InlineData("--users", "missing", 66, "no passwd-file")]
    public async Task Bad_inputs_are_refused_before_anything_is_imported(string option, string value, int code, string message)
    {
        await File.WriteAllTextAsync(Path.Combine(_root, "passwd"), "alice:{PLAIN}pw::::::\n");
        string[] args = ["import", "dovecot", "--users", Path.Combine(_root, "passwd"), "--mail-root", _root, "--data-dir", Path.Combine(_root, "data")];
        args = option == "--users"
            ? [.. args.Select(a => a == Path.Combine(_root, "passwd") ? Path.Combine(_root, value) : a)]
            : [.. args, option, value];

        var result = await RunAsync(args);

        Assert.Equal(code, result.Code);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_root, "data", "users")));
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(string[] args)
    {
        var root = new RootCommand { ImportCommand.Create() };
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }
}
