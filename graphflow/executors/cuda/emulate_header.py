"""The C++ header that turns a CUDA launch into host code, for the emulation (emulate.py).

Kernels without `__shared__` memory or `__syncthreads()` launch as two loops, over blocks and over
their threads, each thread running the kernel to its end (`GF_EMU_LAUNCH`). Kernels with them
need a block's threads to run together: `gf_emu_run_blocks` runs each thread of a block as a
fiber (started by ucontext, switched by _setjmp / _longjmp, all on the calling OS thread) under
a deterministic schedule. Between two
barriers each fiber runs alone up to its next `__syncthreads()`, in ascending thread order in one
phase and descending order in the next (starting with either: `order`), so a missing barrier
shows up the same way on every run instead of depending on the OS scheduler. `__shared__`
variables are function statics in one linker section, set to all-ones bits (NaN floats, -1
integers) before each block, so shared memory read before any thread wrote it is poisoned as
outputs are. A block whose threads do not all reach the same barrier (some exited while others
wait) is an error: the launch returns the block's number plus one instead of hanging.
Launches of shared-memory kernels are serialised (the statics are one block's shared memory).
"""

HEADER = r"""/* graphflow host emulation of CUDA launches: loops over blocks and threads. */
#include <math.h>
struct gf_dim3 { unsigned int x, y, z; };
static thread_local gf_dim3 threadIdx, blockIdx, blockDim, gridDim;
#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __restrict__ __restrict
#define GF_EMU_LAUNCH(kernel, grid, block, ...)                              \
    gridDim = {grid, 1, 1}; blockDim = {block, 1, 1};                        \
    for (unsigned int b_ = 0; b_ < grid; ++b_)                               \
        for (unsigned int t_ = 0; t_ < block; ++t_) {                        \
            blockIdx = {b_, 0, 0}; threadIdx = {t_, 0, 0}; kernel(__VA_ARGS__); \
        }
"""

# rendered after HEADER only into modules with a kernel that uses shared memory or barriers
BLOCKS = r"""/* blocks whose threads run together: fibers, barriers, shared memory */
#include <pthread.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
/* one block's shared memory: the statics of one section, poisoned before each block */
#define __shared__ static __attribute__((section("gf_shared")))
static char gf_emu_shared_anchor[8] __attribute__((section("gf_shared"), used));
extern "C" char __start_gf_shared[], __stop_gf_shared[];

struct gf_emu_place { jmp_buf jb; };
struct gf_emu_fibers {
    ucontext_t* start;    /* a fiber's first entry */
    gf_emu_place* at;     /* a fiber's place at its barrier, or parked after its block */
    unsigned char* state; /* 0 runnable, 1 waiting at the barrier, 2 done with the block */
    jmp_buf main;
    unsigned int cur;
    void (*body)(void*);
    void* arg;
};
static thread_local gf_emu_fibers* gf_emu_now;
static void gf_emu_park(unsigned char state) { /* back to the scheduler until resumed */
    gf_emu_fibers* f = gf_emu_now;
    f->state[f->cur] = state;
    if (!_setjmp(f->at[f->cur].jb)) _longjmp(f->main, 1);
}
static void gf_emu_fiber() { /* thread threadIdx of one block after another */
    for (;;) { gf_emu_now->body(gf_emu_now->arg); gf_emu_park(2); }
}
#define __syncthreads() gf_emu_park(1)
static pthread_mutex_t gf_emu_shared_lock = PTHREAD_MUTEX_INITIALIZER;

static int gf_emu_blocks(unsigned int grid, unsigned int block, int order,
                         void (*body)(void*), void* arg) {
    const size_t stack = 1 << 16;
    static thread_local char* stacks = NULL; /* kept for the next launch: no page faults */
    static thread_local size_t held = 0;
    if (held < stack * block) {
        free(stacks);
        stacks = (char*)malloc(stack * block);
        held = stacks ? stack * block : 0;
    }
    ucontext_t* start = (ucontext_t*)malloc(sizeof(ucontext_t) * block);
    gf_emu_place* at = (gf_emu_place*)malloc(sizeof(gf_emu_place) * block);
    unsigned char* state = (unsigned char*)malloc(block);
    unsigned char* started = (unsigned char*)calloc(block, 1);
    if (!stacks || !start || !at || !state || !started) return -1;
    gf_emu_fibers f;
    f.start = start; f.at = at; f.state = state; f.body = body; f.arg = arg;
    gf_emu_fibers* outer = gf_emu_now;
    gf_emu_now = &f;
    gridDim = {grid, 1, 1}; blockDim = {block, 1, 1};
    for (unsigned int t = 0; t < block; ++t) {
        getcontext(&start[t]);
        start[t].uc_stack.ss_sp = stacks + stack * t;
        start[t].uc_stack.ss_size = stack;
        start[t].uc_link = NULL; /* a fiber parks at its block's end, it never returns */
        makecontext(&start[t], gf_emu_fiber, 0);
    }
    int error = 0;
    for (unsigned int b = 0; b < grid && !error; ++b) {
        blockIdx = {b, 0, 0};
        memset(__start_gf_shared, 0xFF, (size_t)(__stop_gf_shared - __start_gf_shared));
        memset(state, 0, block);
        for (unsigned int phase = 0;; ++phase) {
            const bool down = ((phase + (unsigned int)order) & 1u) != 0;
            for (unsigned int k = 0; k < block; ++k) {
                const unsigned int t = down ? block - 1 - k : k;
                if (state[t] != 0) continue;
                f.cur = t; threadIdx = {t, 0, 0};
                if (!_setjmp(f.main)) {
                    if (started[t]) _longjmp(at[t].jb, 1);
                    started[t] = 1;
                    setcontext(&start[t]);
                }
            }
            unsigned int waiting = 0, done = 0;
            for (unsigned int t = 0; t < block; ++t) {
                waiting += state[t] == 1; done += state[t] == 2;
            }
            if (done == block) break;
            if (waiting != block) { error = (int)b + 1; break; }
            memset(state, 0, block);
        }
    }
    gf_emu_now = outer;
    free(start); free(at); free(state); free(started);
    return error;
}

template <class F> static void gf_emu_call(void* f) { (*(F*)f)(); }
template <class F> static int gf_emu_run_blocks(unsigned int grid, unsigned int block, int order,
                                                F body) {
    pthread_mutex_lock(&gf_emu_shared_lock); /* the statics are one block's shared memory */
    const int error = gf_emu_blocks(grid, block, order, gf_emu_call<F>, &body);
    pthread_mutex_unlock(&gf_emu_shared_lock);
    return error;
}
"""
