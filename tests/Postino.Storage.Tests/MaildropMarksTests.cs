using Postino.Storage.Retention;
using Postino.Storage.Users;

namespace Postino.Storage.Tests;

public sealed class MaildropMarksTests
{
    [Fact]
    public void A_deleted_message_is_removed_and_a_retrieved_one_recorded()
    {
        var marks = new MaildropMarks(this, 3, retention: null);
        marks.MarkDeleted(0);
        marks.MarkRetrieved(1);

        Assert.Equal(MaildropChange.Remove, marks.ChangeAt(0));
        Assert.Equal(MaildropChange.Retrieved, marks.ChangeAt(1));
        Assert.Equal(MaildropChange.None, marks.ChangeAt(2));
    }

    [Fact]
    public void Clearing_deletions_keeps_retrievals()
    {
        var marks = new MaildropMarks(this, 2, retention: null);
        marks.MarkDeleted(0);
        marks.MarkRetrieved(0);
        marks.ClearDeletions();

        Assert.False(marks.IsDeleted(0));
        Assert.Equal(MaildropChange.Retrieved, marks.ChangeAt(0));
    }

    [Fact]
    public void Delete_on_retrieve_removes_retrieved_messages()
    {
        var retention = new EffectiveRetention(RetentionPolicy.DeleteOnRetrieve, null);
        var marks = new MaildropMarks(this, 1, retention);
        marks.MarkRetrieved(0);

        Assert.True(marks.DeleteRetrievedAtCommit);
        Assert.Equal(MaildropChange.Remove, marks.ChangeAt(0));
    }

    [Fact]
    public void A_maildrop_commits_once_and_not_after_disposal()
    {
        var marks = new MaildropMarks(this, 1, retention: null);
        marks.BeginCommit();
        Assert.Throws<InvalidOperationException>(marks.BeginCommit);

        var disposed = new MaildropMarks(this, 1, retention: null);
        Assert.True(disposed.TryDispose());
        Assert.False(disposed.TryDispose());
        Assert.Throws<ObjectDisposedException>(disposed.BeginCommit);
        Assert.Throws<ObjectDisposedException>(() => disposed.MarkDeleted(0));
    }

    [Fact]
    public void Indexes_outside_the_snapshot_are_refused()
    {
        var marks = new MaildropMarks(this, 2, retention: null);

        Assert.Throws<ArgumentOutOfRangeException>(() => marks.MarkDeleted(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => marks.MarkRetrieved(-1));
    }
}
