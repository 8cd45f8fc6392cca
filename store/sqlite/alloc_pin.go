package sqlite

import (
	"sync"

	"modernc.org/libc"
)

// pinAllocator keeps one block of every small size class of modernc's C heap allocated for the
// life of the process.
//
// modernc.org/libc serves malloc from a process-wide allocator (modernc.org/memory) that maps a
// 64 KiB page per size class and unmaps it as soon as its last block is freed. SQLite allocates
// and frees a scratch buffer of ~10 KiB for every B-tree page split (balance_nonroot) and
// temporary B-trees for sorts: with nothing else in that size class, each of them costs an mmap
// of 128 KiB, a munmap of the excess and a munmap at free — 10 % of the CPU of an HTTP create
// and 5 to 7 % of searches in our profiles. One pinned block per class keeps one page of each
// class mapped, so those allocations reuse its free slots.
//
// The allocator is process-wide, hence the process-wide once: the pinned blocks (11 blocks, at
// most 11 mapped pages of 64 KiB) are never freed.
var pinAllocator = sync.OnceFunc(func() {
	tls := libc.NewTLS()
	defer tls.Close()
	// Size classes of modernc.org/memory: 1<<4 up to 1<<14 (larger blocks get their own mapping).
	for log := 4; log <= 14; log++ {
		_ = libc.Xmalloc(tls, libc.Tsize_t(1)<<log)
	}
})
