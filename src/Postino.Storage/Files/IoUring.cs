using System.Runtime.InteropServices;

namespace Postino.Storage.Files;

/// <summary>
/// The least of io_uring (Linux 5.6+) the store needs: one ring, used by one thread, for reads. Its point is batching:
/// many reads handed to the kernel in one system call are issued under one block-layer plug, so the reads of files
/// that lie next to each other on disk merge into a few large requests (one device notification and one interrupt
/// each, which on a virtual machine cost far more than the copy), where one read per system call makes one request
/// per file. The caller owns the buffers and must reap every read it queued before freeing them.
/// </summary>
internal sealed unsafe partial class IoUring : IDisposable
{
    /// <summary>io_uring_setup and io_uring_enter: 425 and 426 on x86-64 and on the generic table (arm64) alike.</summary>
    private const long SysSetup = 425;
    private const long SysEnter = 426;
    private const byte OpRead = 22;
    private const byte OpClose = 19;
    private const long EnterGetEvents = 1;
    private const uint FeatureReadWriteCurrentPosition = 1 << 3;
    private const long OffSqRing = 0;
    private const long OffCqRing = 0x8000000;
    private const long OffSqes = 0x10000000;
    private const int ProtReadWrite = 0x1 | 0x2;
    private const int MapSharedPopulate = 0x01 | 0x8000;
    private const int EIntr = 4;
    private const int SqeSize = 64;
    private const int CqeSize = 16;

    private readonly int _fd;
    private readonly byte* _sqRing;
    private readonly nuint _sqRingSize;
    private readonly byte* _cqRing;
    private readonly nuint _cqRingSize;
    private readonly byte* _sqes;
    private readonly nuint _sqesSize;
    private readonly uint* _sqTail;
    private readonly uint _sqMask;
    private readonly uint* _sqArray;
    private readonly uint _sqEntries;
    private readonly uint _cqEntries;
    private readonly uint* _cqHead;
    private readonly uint* _cqTail;
    private readonly uint _cqMask;
    private readonly byte* _cqes;
    private uint _unsubmitted;
    private uint _queued;
    private bool _disposed;

    private IoUring(int fd, byte* parameters)
    {
        _fd = fd;
        _sqEntries = *(uint*)parameters;
        var cqEntries = *(uint*)(parameters + 4);
        _cqEntries = cqEntries;

        // struct io_uring_params: sq_off (struct io_sqring_offsets) at 40, cq_off (struct io_cqring_offsets) at 80.
        var sq = parameters + 40;
        var cq = parameters + 80;
        _sqRingSize = *(uint*)(sq + 24) + (_sqEntries * sizeof(uint));
        _cqRingSize = *(uint*)(cq + 20) + (cqEntries * CqeSize);
        _sqesSize = _sqEntries * SqeSize;
        _sqRing = Map(_sqRingSize, OffSqRing);
        _cqRing = Map(_cqRingSize, OffCqRing);
        _sqes = Map(_sqesSize, OffSqes);
        _sqTail = (uint*)(_sqRing + *(uint*)(sq + 4));
        _sqMask = *(uint*)(_sqRing + *(uint*)(sq + 8));
        _sqArray = (uint*)(_sqRing + *(uint*)(sq + 24));
        _cqHead = (uint*)(_cqRing + *(uint*)cq);
        _cqTail = (uint*)(_cqRing + *(uint*)(cq + 4));
        _cqMask = *(uint*)(_cqRing + *(uint*)(cq + 8));
        _cqes = _cqRing + *(uint*)(cq + 20);
    }

    /// <summary>Room for this many reads queued at once (the kernel rounds the size asked up to a power of two).</summary>
    public uint Entries => _sqEntries;

    /// <summary>
    /// A ring of at least <paramref name="entries"/> entries, or null with the errno when the kernel has none to give:
    /// before 5.6, <c>kernel.io_uring_disabled</c>, a container's seccomp filter, or out of locked memory.
    /// </summary>
    public static IoUring? TryCreate(uint entries, out int errno)
    {
        errno = 0;
        if (!UnixNative.IsSupported || RuntimeInformation.ProcessArchitecture is not (Architecture.X64 or Architecture.Arm64))
        {
            errno = UnixNative.ENOSYS;
            return null;
        }

        var parameters = stackalloc byte[120];
        new Span<byte>(parameters, 120).Clear();
        var fd = (int)Setup(SysSetup, entries, parameters);
        if (fd < 0)
        {
            errno = Marshal.GetLastPInvokeError();
            return null;
        }

        // IORING_FEAT_RW_CUR_POS came with 5.6, as did the read and close operations used here: a ring before that
        // would fail every one of them.
        if ((*(uint*)(parameters + 20) & FeatureReadWriteCurrentPosition) == 0)
        {
            UnixNative.Close(fd);
            errno = UnixNative.ENOSYS;
            return null;
        }

        try
        {
            return new IoUring(fd, parameters);
        }
        catch (IOException exception)
        {
            UnixNative.Close(fd);
            errno = exception.HResult;
            return null;
        }
    }

    /// <summary>Queues a read of <paramref name="length"/> bytes at <paramref name="offset"/>; false when the ring is full.</summary>
    public bool TryQueueRead(int fd, byte* buffer, uint length, long offset, ulong userData)
    {
        var sqe = Next();
        if (sqe == null)
        {
            return false;
        }

        // struct io_uring_sqe: opcode at 0, fd at 4, off at 8, addr at 16, len at 24, user_data at 32.
        sqe[0] = OpRead;
        *(int*)(sqe + 4) = fd;
        *(long*)(sqe + 8) = offset;
        *(ulong*)(sqe + 16) = (ulong)buffer;
        *(uint*)(sqe + 24) = length;
        *(ulong*)(sqe + 32) = userData;
        Queued();
        return true;
    }

    /// <summary>
    /// Queues the close of <paramref name="fd"/> (done inline at the next <see cref="Submit"/> for a regular file): one
    /// system call less per file. False when the ring is full (close it yourself then).
    /// </summary>
    public bool TryQueueClose(int fd, ulong userData)
    {
        var sqe = Next();
        if (sqe == null)
        {
            return false;
        }

        sqe[0] = OpClose;
        *(int*)(sqe + 4) = fd;
        *(ulong*)(sqe + 32) = userData;
        Queued();
        return true;
    }

    /// <summary>The next free submission entry, cleared; null when the completions not yet reaped could overflow their queue.</summary>
    private byte* Next()
    {
        if (_queued >= _cqEntries)
        {
            return null;
        }

        // A full submission queue is handed to the kernel first (without waiting).
        if (_unsubmitted >= _sqEntries)
        {
            Submit(wait: false);
        }

        var sqe = _sqes + ((*_sqTail & _sqMask) * SqeSize);
        new Span<byte>(sqe, SqeSize).Clear();
        return sqe;
    }

    private void Queued()
    {
        var tail = *_sqTail;
        var index = tail & _sqMask;
        _sqArray[index] = index;
        Volatile.Write(ref *_sqTail, tail + 1);
        _unsubmitted++;
        _queued++;
    }

    /// <summary>How many operations were queued and have not been reaped yet.</summary>
    public uint InFlight => _queued;

    /// <summary>
    /// Hands the queued reads to the kernel in one system call, and with <paramref name="wait"/> waits until at least
    /// one has completed.
    /// </summary>
    public void Submit(bool wait)
    {
        while (true)
        {
            var result = Enter(SysEnter, _fd, _unsubmitted, wait ? 1 : 0, wait ? EnterGetEvents : 0, 0, 0);
            if (result > 0 || (result == 0 && _unsubmitted == 0))
            {
                _unsubmitted -= (uint)result;
                if (_unsubmitted == 0)
                {
                    return;
                }

                continue;
            }

            if (result == 0)
            {
                // Nothing taken while entries wait: never spin on it.
                throw new IOException("io_uring_enter took none of the queued entries");
            }

            var errno = Marshal.GetLastPInvokeError();
            if (errno != EIntr)
            {
                throw new IOException($"io_uring_enter failed (errno {errno})", errno);
            }
        }
    }

    /// <summary>Takes one completed read: its user data and result (bytes read, or a negated errno).</summary>
    public bool TryTakeCompletion(out ulong userData, out int result)
    {
        var head = *_cqHead;
        if (head == Volatile.Read(ref *_cqTail))
        {
            userData = 0;
            result = 0;
            return false;
        }

        var cqe = _cqes + ((head & _cqMask) * CqeSize);
        userData = *(ulong*)cqe;
        result = *(int*)(cqe + 8);
        Volatile.Write(ref *_cqHead, head + 1);
        _queued--;
        return true;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Unmap(_sqes, _sqesSize);
        Unmap(_cqRing, _cqRingSize);
        Unmap(_sqRing, _sqRingSize);
        UnixNative.Close(_fd);
    }

    private byte* Map(nuint size, long offset)
    {
        var address = MMap(null, size, ProtReadWrite, MapSharedPopulate, _fd, offset);
        if (address == -1)
        {
            var errno = Marshal.GetLastPInvokeError();
            Unmap(_sqes, _sqesSize);
            Unmap(_cqRing, _cqRingSize);
            Unmap(_sqRing, _sqRingSize);
            throw new IOException($"cannot map the io_uring (errno {errno})", errno);
        }

        return (byte*)address;
    }

    private static void Unmap(byte* address, nuint size)
    {
        if (address != null)
        {
            _ = MUnmap(address, size);
        }
    }

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Setup(long number, long entries, byte* parameters);

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Enter(long number, long fd, long toSubmit, long minComplete, long flags, long signals, long signalsSize);

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static partial nint MMap(void* address, nuint length, int protection, int flags, int fd, long offset);

    [LibraryImport("libc", EntryPoint = "munmap", SetLastError = true)]
    private static partial int MUnmap(void* address, nuint length);
}
