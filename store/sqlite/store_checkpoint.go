package sqlite

import (
	"context"
	"database/sql"
)

// checkpointEvery is the number of write transactions between two WAL checkpoints.
const checkpointEvery = 64

// checkpointer folds the WAL back into the database file on its own connection, so that commits
// never pay for it (the writer connection has wal_autocheckpoint off). It runs a PASSIVE
// checkpoint each time it is kicked: it never waits for readers nor blocks the writer.
type checkpointer struct {
	db      *sql.DB
	kick    chan struct{}
	stop    chan struct{}
	stopped chan struct{}
	commits int // write transactions since the last kick; the writer's lock guards it
}

func newCheckpointer(db *sql.DB) *checkpointer {
	c := &checkpointer{db: db, kick: make(chan struct{}, 1), stop: make(chan struct{}), stopped: make(chan struct{})}
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
			_, _ = c.db.ExecContext(context.Background(), "PRAGMA wal_checkpoint(PASSIVE)")
		}
	}
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
