#:project ../src/Postino.Server/Postino.Server.csproj
#:property TreatWarningsAsErrors=true
#:property PublishAot=false

// A small LMTP server process over the Maildir store, for tests that must kill a real server (the crash test) and
// for the LMTP benchmark, until `postino serve` composes LMTP itself.
// Usage: dotnet run --file scripts/lmtp-test-host.cs -- DATA_DIR [PORT]
// Prints "listening PORT pid PID" once it accepts connections (PID: this process, not `dotnet run`); the users
// file is DATA_DIR/users.
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Postino.Server.Smtp;
using Postino.Storage;
using Postino.Storage.Maildir;
using Postino.Storage.Users;

var dataDir = Path.GetFullPath(args[0]);
var port = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 0;
var users = await UsersFile.OpenAsync(Path.Combine(dataDir, "users"));
var store = new MaildirStore(new MaildirStoreOptions { DataDirectory = dataDir }, users, new UserDirectoryQuotaSource(users, MailboxQuota.Unlimited));

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.Services.AddSingleton<IMailStore>(store);
builder.Services.AddSingleton<IUserDirectory>(users);
builder.Services.AddPostinoLmtp(o =>
{
    o.SpoolDirectory = Path.Combine(dataDir, "spool");
    o.MaxConnectionsPerAddress = 1000;
});
ListenOptions? listen = null;
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, l => listen = l.UseLmtp()));
var app = builder.Build();
await app.StartAsync();
Console.WriteLine($"listening {listen!.IPEndPoint!.Port} pid {Environment.ProcessId}");
await app.WaitForShutdownAsync();
