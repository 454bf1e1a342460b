#ifndef DOSSIER_CMARK_ARENA_H
#define DOSSIER_CMARK_ARENA_H

#include <cmark.h>

/// A bump allocator for cmark, one per thread: while a scope is open on a thread, the
/// trees cmark parses there (and the nodes, strings and rendered HTML made for them) take
/// their memory from the thread's arena, and freeing them costs nothing; closing the
/// scope takes it all back at once. Every tree made in a scope must be freed before it
/// closes. Outside a scope, cmark's own allocator is used.

/// Opens a scope on this thread. A scope opened inside another is part of it.
void dossier_arena_open(void);

/// Closes this thread's innermost scope; closing the outermost gives back everything
/// allocated since it was opened.
void dossier_arena_close(void);

/// The allocator for a tree made now on this thread: the arena's within a scope, cmark's
/// default outside one.
cmark_mem *dossier_arena_current_mem(void);

#endif
