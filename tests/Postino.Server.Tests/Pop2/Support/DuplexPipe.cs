using System.IO.Pipelines;

namespace Postino.Server.Tests.Pop2.Support;

public sealed record DuplexPipe(PipeReader Input, PipeWriter Output) : IDuplexPipe;
