package sqlite

import (
	"context"
	"database/sql"
)

// checkpointEvery is the number of write transactions between two WAL checkpoints.
const checkpointEvery = 64

// defaultResetFrames is the WAL length (frames of a page) past which the checkpointer makes sure
// the WAL starts over: 64 MiB of 4 KiB pages, the size journal_size_limit truncates it to.
const defaultResetFrames = 16384

// checkpointer folds the WAL back into the database file on its own connection, so that commits
// never pay for it (the writer connection has wal_autocheckpoint off). It runs a PASSIVE
// checkpoint each time it is kicked, which never waits for readers nor blocks the writer.
//
// SQLite starts the WAL over only when a write transaction begins with every frame already back
// in the database. Under a steady stream of writes that never happens (the writer has added
// frames by the time a passive checkpoint ends) and the WAL grows for as long as the writes last
// (2 GB in 10 s of creates), every commit extending the file and every page lookup searching a
// longer WAL index. So once the WAL is past reset frames, the checkpointer takes the writer's lock
// for a second pass, which only copies the frames written during the first; the next commit
// then writes from the start of the WAL again.
type checkpointer struct {
	db      *sql.DB
	wsem    chan struct{} // the writer's lock (Store.wsem)
	reset   int64         // WAL frames past which the second pass runs
	kick    chan struct{}
	stop    chan struct{}
	stopped chan struct{}
	commits int // write transactions since the last kick; the writer's lock guards it
}

func newCheckpointer(db *sql.DB, wsem chan struct{}, reset int64) *checkpointer {
	c := &checkpointer{db: db, wsem: wsem, reset: reset, kick: make(chan struct{}, 1), stop: make(chan struct{}), stopped: make(chan struct{})}
	go c.run()
	return c
}

func (c *checkpointer) run() {
	defer close(c.stopped)
	for {
		select {
		case <-c.stop:
			return
		case <-c.kick:
			// A failure (busy, I/O) is retried at the next kick; Close checkpoints once more.
			frames, err := c.passive()
			if err != nil || frames < c.reset {
				continue
			}
			select {
			case c.wsem <- struct{}{}:
			case <-c.stop:
				return
			}
			_, _ = c.passive()
			<-c.wsem
		}
	}
}

// passive runs a PASSIVE checkpoint and returns the number of frames in the WAL.
func (c *checkpointer) passive() (frames int64, err error) {
	var busy, copied int64
	err = c.db.QueryRowContext(context.Background(), "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &frames, &copied)
	return frames, err
}

// committed records a write transaction of n writes and kicks a checkpoint when enough
// accumulated. The caller holds the writer's lock.
func (c *checkpointer) committed(n int) {
	c.commits += max(1, n/16)
	if c.commits < checkpointEvery {
		return
	}
	c.commits = 0
	select {
	case c.kick <- struct{}{}:
	default: // one is pending already
	}
}

// close stops the goroutine, then the connection.
func (c *checkpointer) close() error {
	close(c.stop)
	<-c.stopped
	return c.db.Close()
}
