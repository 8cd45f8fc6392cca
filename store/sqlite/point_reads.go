package sqlite

import (
	"context"
	"errors"
	"fmt"

	zsqlite "zombiezen.com/go/sqlite"
)

// pointReads is a small pool of read-only connections for reads by key (Read, VRead), whose
// statements stay prepared (zombiezen.com/go/sqlite): through database/sql, modernc.org/sqlite
// parses and plans the statement again on every call, 5 % of the CPU of the national import
// (two reads per resource) and more than a quarter of a read by id. Searches keep the
// database/sql pool.
type pointReads struct {
	free   chan *zsqlite.Conn
	closed chan struct{}
	n      int
}

// openPointReads opens n read-only connections on path, each with pragmas (each name(value)).
func openPointReads(path string, n int, pragmas []string) (*pointReads, error) {
	p := &pointReads{free: make(chan *zsqlite.Conn, n), closed: make(chan struct{})}
	for range n {
		c, err := zsqlite.OpenConn(path, zsqlite.OpenReadOnly)
		if err != nil {
			_ = p.close()
			return nil, fmt.Errorf("sqlite: point-read connection: %w", err)
		}
		p.free <- c
		p.n++
		if err := applyPragmas(c, pragmas); err != nil {
			_ = p.close()
			return nil, fmt.Errorf("sqlite: point-read connection: %w", err)
		}
	}
	return p, nil
}

// take waits for a free connection, unless ctx ends or the pool closes first.
func (p *pointReads) take(ctx context.Context) (*zsqlite.Conn, error) {
	select {
	case <-p.closed:
		return nil, errClosed
	default:
	}
	select {
	case c := <-p.free:
		return c, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-p.closed:
		return nil, errClosed
	}
}

func (p *pointReads) put(c *zsqlite.Conn) { p.free <- c }

// close refuses new reads, waits for the reads in progress and closes every connection.
func (p *pointReads) close() error {
	close(p.closed)
	var errs []error
	for range p.n {
		errs = append(errs, (<-p.free).Close())
	}
	return errors.Join(errs...)
}

// row runs the prepared statement q with args on a pooled connection and calls scan with
// the statement positioned on its first row; found is false when there is none.
func (p *pointReads) row(ctx context.Context, q string, scan func(*zsqlite.Stmt) error, args ...any) (found bool, err error) {
	err = p.stmt(ctx, q, args, func(st *zsqlite.Stmt) error {
		ok, err := st.Step()
		if err == nil && ok {
			found = true
			err = scan(st)
		}
		return err
	})
	return found && err == nil, err
}

// each runs the prepared statement q with args on a pooled connection and calls scan on each of
// its rows, in one snapshot of the store.
func (p *pointReads) each(ctx context.Context, q string, scan func(*zsqlite.Stmt) error, args ...any) error {
	return p.stmt(ctx, q, args, func(st *zsqlite.Stmt) error { return eachRow(st, scan) })
}

// stmt takes a pooled connection, binds args to its prepared statement q and calls run with it,
// then resets the statement and gives the connection back.
func (p *pointReads) stmt(ctx context.Context, q string, args []any, run func(*zsqlite.Stmt) error) error {
	c, err := p.take(ctx)
	if err != nil {
		return err
	}
	defer p.put(c)
	st, err := c.Prepare(q)
	if err != nil {
		return err
	}
	if err := bindAll(st, args); err != nil {
		_ = st.Reset()
		return err
	}
	return resetAfter(st, run(st))
}

// columnBytes copies column col of st (a blob is only valid until the statement moves on).
func columnBytes(st *zsqlite.Stmt, col int) []byte {
	if st.ColumnType(col) == zsqlite.TypeNull {
		return nil
	}
	b := make([]byte, st.ColumnLen(col))
	st.ColumnBytes(col, b)
	return b
}
