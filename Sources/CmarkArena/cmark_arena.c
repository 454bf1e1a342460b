#include "cmark_arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

// Memory comes in chunks; each allocation is preceded by its size, so that `realloc`
// can copy it, and the last allocation of a chunk grows in place (a strbuf being filled).
typedef struct chunk {
    struct chunk *previous;
    size_t capacity;
    size_t used;
    size_t padding; // keeps the data that follows 16-byte aligned
} chunk;

enum { header = 16, standard_capacity = 256 * 1024 };

static _Thread_local chunk *current = NULL;
// Scopes opened and not yet closed on this thread: only the outermost gives the memory
// back, so a scope opened inside another cannot free the outer one's trees.
static _Thread_local int depth = 0;

static size_t rounded(size_t size) { return (size + 15) & ~(size_t)15; }

static unsigned char *data(chunk *c) { return (unsigned char *)(c + 1); }

static void *bump(size_t size) {
    if (size > SIZE_MAX / 2) abort();
    size_t need = header + rounded(size);
    chunk *c = current;
    if (c == NULL || c->used + need > c->capacity) {
        size_t capacity = need > standard_capacity ? need : standard_capacity;
        chunk *fresh = malloc(sizeof(chunk) + capacity);
        // cmark's own allocator stops the program when memory runs out; so does this one.
        if (fresh == NULL) abort();
        fresh->previous = c;
        fresh->capacity = capacity;
        fresh->used = 0;
        current = c = fresh;
    }
    unsigned char *start = data(c) + c->used;
    c->used += need;
    *(size_t *)start = size;
    return start + header;
}

static void *arena_calloc(size_t count, size_t size) {
    if (size != 0 && count > SIZE_MAX / size) abort();
    void *memory = bump(count * size);
    memset(memory, 0, count * size);
    return memory;
}

static void *arena_realloc(void *memory, size_t size) {
    if (memory == NULL) return bump(size);
    size_t *recorded = (size_t *)((unsigned char *)memory - header);
    size_t old = *recorded;
    if (size <= old) return memory;
    chunk *c = current;
    // The chunk's last allocation: grown where it is, if the chunk has room.
    if (c != NULL && (unsigned char *)memory + rounded(old) == data(c) + c->used
        && c->used - rounded(old) + rounded(size) <= c->capacity) {
        c->used = c->used - rounded(old) + rounded(size);
        *recorded = size;
        return memory;
    }
    void *moved = bump(size);
    memcpy(moved, memory, old);
    return moved;
}

static void arena_free(void *memory) { (void)memory; }

static cmark_mem arena_mem = {arena_calloc, arena_realloc, arena_free};

void dossier_arena_open(void) { depth += 1; }

void dossier_arena_close(void) {
    if (depth == 0 || --depth > 0) return;
    // One chunk of the standard size is kept for the next scope on this thread; the rest
    // (a long note's) is freed.
    chunk *kept = NULL;
    while (current != NULL) {
        chunk *previous = current->previous;
        if (kept == NULL && current->capacity == standard_capacity) {
            kept = current;
        } else {
            free(current);
        }
        current = previous;
    }
    if (kept != NULL) {
        kept->previous = NULL;
        kept->used = 0;
    }
    current = kept;
}

cmark_mem *dossier_arena_current_mem(void) {
    return depth > 0 ? &arena_mem : cmark_get_default_mem_allocator();
}
