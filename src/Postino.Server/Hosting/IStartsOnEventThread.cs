namespace Postino.Server.Hosting;

/// <summary>
/// Marks a connection handler whose connections may start on the socket event thread that accepted them: nothing it
/// does before its first wait for input may block (no disk, no DNS, no lock held by another session). A POP3 session
/// only writes its greeting before it reads. Handlers without the mark start on the thread pool
/// (<see cref="ListenerHost"/>).
/// </summary>
public interface IStartsOnEventThread;
